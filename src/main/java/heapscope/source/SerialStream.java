package heapscope.source;

import com.fazecast.jSerialComm.SerialPort;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * A serial port read as a stream that survives the device going away: when the port disappears (a USB adapter
 * unplugged, a board resetting its USB-serial bridge) it closes it, says so, and reopens the same port when it
 * returns, for up to {@code reconnectMs}; only then does the stream end.
 */
public final class SerialStream extends InputStream {
    private static final int POLL_MS = 200;

    private final String device;
    private final int baud;
    private final long reconnectMs;
    private final Consumer<String> notices;
    private SerialPort port;
    private boolean ended;
    /** jSerialComm's error code of the last failed open, 0 when it failed before opening. */
    private int lastError;

    public SerialStream(String device, int baud, long reconnectMs, Consumer<String> notices) {
        this.device = device;
        this.baud = baud;
        this.reconnectMs = reconnectMs;
        this.notices = notices;
        if (!open()) {
            throw new InputException(PortTrouble.explain(device, PortTrouble.of(device, lastError)));
        }
    }

    private boolean open() {
        SerialPort p;
        try {
            p = SerialPort.getCommPort(device);
        } catch (RuntimeException gone) { // jSerialComm refuses a path that does not exist (yet)
            lastError = 0;
            return false;
        }
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, POLL_MS, 0);
        if (!p.openPort()) {
            lastError = p.getLastErrorCode();
            return false;
        }
        port = p;
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (!ended) {
            if (port == null && !reconnect()) {
                ended = true;
                break;
            }
            int n = port.readBytes(b, Math.min(len, b.length - off), off);
            if (n > 0) {
                return n;
            }
            if (n < 0 || !port.isOpen()) {
                port.closePort();
                port = null;
                notices.accept(device + ": port gone; waiting up to " + reconnectMs / 1000 + " s for it to return");
            }
        }
        return -1;
    }

    private boolean reconnect() {
        long deadline = System.currentTimeMillis() + reconnectMs;
        while (System.currentTimeMillis() < deadline) {
            if (open()) {
                notices.accept(device + ": port back");
                return true;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        ended = true;
        if (port != null) {
            port.closePort();
        }
    }
}
