package heapscope.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * A two-way link to a device that streams a trace on command: a serial port (a UART adapter, or the chip's
 * USB-Serial-JTAG ACM port, where the baud rate is ignored) or {@code tcp://host:port} (a serial-over-TCP bridge in
 * raw mode, such as ser2net). The host reads the trace from {@link #in} and sends commands with {@link #send}.
 */
public sealed interface DeviceLink extends AutoCloseable {
    /** The bytes the device sends. */
    InputStream in();

    /** Sends bytes to the device; false when the link is gone. */
    boolean send(byte[] bytes);

    /** The link's name, for messages. */
    String name();

    @Override
    void close() throws IOException;

    /**
     * Opens PORT: {@code tcp://host:port}, else a serial port at BAUD, not reset (the firmware waits for the start
     * command, and a reset would restart what is being traced), not reopened when it goes away.
     */
    static DeviceLink open(String port, int baud, Consumer<String> notices) throws IOException {
        if (port.startsWith("tcp://")) {
            InputSpec.TcpInput tcp = (InputSpec.TcpInput) InputSpec.parse(port);
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), 10_000);
                socket.setTcpNoDelay(true); // a one-byte command must not wait for more
            } catch (IOException e) {
                socket.close();
                throw new InputException(port + ": cannot connect: " + e.getMessage());
            }
            return new Tcp(port, socket, socket.getInputStream(), socket.getOutputStream());
        }
        return new Serial(port, new SerialStream(port, baud, false, 0, notices));
    }

    record Serial(String name, SerialStream stream) implements DeviceLink {
        @Override
        public InputStream in() {
            return stream;
        }

        @Override
        public boolean send(byte[] bytes) {
            return stream.write(bytes, 0, bytes.length);
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    record Tcp(String name, Socket socket, InputStream in, OutputStream out) implements DeviceLink {
        @Override
        public boolean send(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
                return true;
            } catch (IOException gone) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
