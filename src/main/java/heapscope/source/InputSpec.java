package heapscope.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a capture comes from, as written on the command line: a file path (optionally {@code file://}),
 * {@code -} for standard input, or {@code tcp://host:port} for a live stream such as OpenOCD's apptrace.
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
            return Files.newInputStream(InputFiles.readable(path));
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
            return new java.io.FilterInputStream(System.in) {
                @Override
                public void close() {
                }
            };
        }
    }

    record TcpInput(String host, int port) implements InputSpec {
        @Override
        public String name() {
            return "tcp://" + host + ":" + port;
        }

        @Override
        public InputStream open() throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), 10_000);
            } catch (IOException e) {
                socket.close();
                throw new InputException(name() + ": cannot connect: " + e.getMessage());
            }
            return socket.getInputStream(); // closing the stream closes the socket
        }
    }

    /** Parses a command-line input argument. */
    static InputSpec parse(String text) {
        if (text.equals("-")) {
            return new StdinInput();
        }
        if (text.startsWith("tcp://")) {
            String rest = text.substring("tcp://".length());
            int colon = rest.lastIndexOf(':');
            if (colon <= 0 || colon == rest.length() - 1) {
                throw new InputException(text + ": expected tcp://host:port");
            }
            int port;
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InputException(text + ": port is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new InputException(text + ": port out of range");
            }
            String host = rest.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new TcpInput(host, port);
        }
        if (text.startsWith("udp://")) {
            throw new InputException(text + ": UDP streams are not supported; use tcp:// or capture to a file");
        }
        String path = text.startsWith("file://") ? text.substring("file://".length()) : text;
        return new FileInput(Path.of(path));
    }
}
