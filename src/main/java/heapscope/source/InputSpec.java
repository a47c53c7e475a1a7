package heapscope.source;

import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a capture comes from, as written on the command line: a file path (optionally {@code file://}),
 * {@code -} for standard input, {@code tcp://host:port} to connect to a server that streams the capture, or
 * {@code tcp-listen://[host]:port} to wait for the peer to connect (OpenOCD's live SystemView stream).
 */
public sealed interface InputSpec {

    /** Name to show in messages. */
    String name();

    /** Opens the bytes for reading from the start. */
    InputStream open() throws IOException;

    /** The file behind this input when it can be read at any offset, else empty. */
    default Optional<Path> file() {
        return Optional.empty();
    }

    record FileInput(Path path) implements InputSpec {
        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public InputStream open() throws IOException {
            // not Files.newInputStream: its channel reads into a heap array through a direct buffer, a second copy of
            // every byte (reading the 86 MB benchmark log took 15 ms that way, 11 ms this way)
            return new FileInputStream(InputFiles.readable(path).toFile());
        }

        @Override
        public Optional<Path> file() {
            return Optional.of(path);
        }
    }

    record StdinInput() implements InputSpec {
        @Override
        public String name() {
            return "<stdin>";
        }

        @Override
        public InputStream open() {
            // Not closed by readers: closing System.in would break later reads in the same process.
            return new FilterInputStream(System.in) {
                @Override
                public void close() {
                }
            };
        }
    }

    /**
     * How a live network input behaves: ends after {@code idleTimeoutMs} without data (0: never), and says where it
     * waits, who connected and why it ended through {@code notices} (one line each, naming the input).
     */
    record Live(long idleTimeoutMs, Consumer<String> notices) {
        /** No idle timeout; notices on standard error. */
        public static final Live DEFAULT = new Live(0, notice -> System.err.println("heapscope: " + notice));
    }

    /** Connects to a server that streams the capture (ser2net, a serial-over-TCP bridge, a relay). */
    record TcpInput(String host, int port, Live live) implements InputSpec {
        @Override
        public String name() {
            return "tcp://" + hostPort(host, port);
        }

        @Override
        public InputStream open() throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), 10_000);
                LiveStream stream = LiveStream.connected(name(), socket, live.idleTimeoutMs(), live.notices()); // closing it closes the socket
                live.notices().accept(name() + ": connected");
                return stream;
            } catch (IOException e) {
                socket.close();
                throw new InputException(name() + ": cannot connect: " + e.getMessage());
            }
        }
    }

    /**
     * Waits for the peer to connect and stream the capture: OpenOCD's {@code esp sysview start tcp://host:port}
     * connects as a client, as ESP-IDF's own trace reader expects. An empty host listens on every interface; port 0
     * takes a free port, said in the notice.
     */
    record ListenInput(String host, int port, Live live) implements InputSpec {
        @Override
        public String name() {
            return "tcp-listen://" + hostPort(host, port);
        }

        @Override
        public InputStream open() throws IOException {
            ServerSocket server = new ServerSocket();
            try {
                server.setReuseAddress(true); // a port left in TIME_WAIT by the previous run is free to take again
                server.bind(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
                LiveStream stream = LiveStream.accepting(name(), server, live.idleTimeoutMs(), live.notices());
                live.notices().accept(name() + ": waiting for a connection on " + hostPort(host, server.getLocalPort())
                        + " (OpenOCD: esp sysview start tcp://HOST:" + server.getLocalPort() + ")");
                return stream;
            } catch (IOException e) {
                server.close();
                throw new InputException(name() + ": cannot listen: " + e.getMessage());
            }
        }
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Parses a command-line input argument; live inputs behave as {@link Live#DEFAULT}. */
    static InputSpec parse(String text) {
        return parse(text, Live.DEFAULT);
    }

    /** Parses a command-line input argument: a file, {@code -}, {@code tcp://host:port} or {@code tcp-listen://[host]:port}. */
    static InputSpec parse(String text, Live live) {
        if (text.equals("-")) {
            return new StdinInput();
        }
        if (text.startsWith("tcp://")) {
            String[] hostPort = hostAndPort(text, "tcp://", "expected tcp://host:port");
            if (hostPort[0].isEmpty()) {
                throw new InputException(text + ": expected tcp://host:port");
            }
            return new TcpInput(host(hostPort[0]), port(text, hostPort[1], 1), live);
        }
        if (text.startsWith("tcp-listen://")) {
            String[] hostPort = hostAndPort(text, "tcp-listen://", "expected tcp-listen://:port or tcp-listen://host:port");
            return new ListenInput(host(hostPort[0]), port(text, hostPort[1], 0), live);
        }
        if (text.startsWith("udp://")) {
            throw new InputException(text + ": UDP streams are not supported; use tcp:// or capture to a file");
        }
        String path = text.startsWith("file://") ? text.substring("file://".length()) : text;
        return new FileInput(Path.of(path));
    }

    /** What follows SCHEME, split at its last colon. */
    private static String[] hostAndPort(String text, String scheme, String usage) {
        String rest = text.substring(scheme.length());
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new InputException(text + ": " + usage);
        }
        return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
    }

    private static String host(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String text, String digits, int lowest) {
        if (digits.isEmpty()) {
            throw new InputException(text + ": no port given");
        }
        int port;
        try {
            port = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InputException(text + ": port is not a number");
        }
        if (port < lowest || port > 65535) {
            throw new InputException(text + ": port out of range");
        }
        return port;
    }
}
