package heapscope.source;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The other end of a live input in tests: a server that streams bytes to heapscope (as ser2net does), or a client
 * that connects to heapscope and streams them (as OpenOCD does), then ends the connection as told.
 */
public final class Peer implements AutoCloseable {
    /** How the peer ends: closing cleanly, resetting the connection, or holding it open until closed. */
    public enum End { CLOSE, RESET, HOLD }

    private final ServerSocket server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch delivered = new CountDownLatch(1);
    private final Thread thread;

    private Peer(ServerSocket server, Thread thread) {
        this.server = server;
        this.thread = thread;
    }

    /** Serves {@code bytes} to the first client on a free loopback port. */
    public static Peer serving(byte[] bytes, End end) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Peer[] self = new Peer[1];
        Thread t = new Thread(() -> {
            try (Socket c = server.accept()) {
                self[0].stream(c, bytes, end);
            } catch (IOException | InterruptedException ignored) {
                // the test fails on its side
            }
        }, "test-peer-server");
        self[0] = new Peer(server, t);
        t.setDaemon(true);
        t.start();
        return self[0];
    }

    /** Connects to heapscope listening on {@code port} (retrying until it listens) and streams {@code bytes}. */
    public static Peer connecting(int port, byte[] bytes, End end) {
        Peer[] self = new Peer[1];
        Thread t = new Thread(() -> {
            try (Socket c = connect(port)) {
                self[0].stream(c, bytes, end);
            } catch (IOException | InterruptedException ignored) {
                // the test fails on its side
            }
        }, "test-peer-client");
        self[0] = new Peer(null, t);
        t.setDaemon(true);
        t.start();
        return self[0];
    }

    private static Socket connect(int port) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (IOException notYet) {
                if (attempt > 600) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }

    private void stream(Socket c, byte[] bytes, End end) throws IOException, InterruptedException {
        OutputStream out = c.getOutputStream();
        out.write(bytes);
        out.flush();
        if (end != End.CLOSE) {
            awaitRead(c); // a reset discards what the reader has not taken yet: the test knows what it did take
            delivered.countDown();
        }
        if (end == End.RESET) {
            c.setSoLinger(true, 0);
        } else if (end == End.HOLD) {
            released.await();
        }
    }

    /** A free loopback port (for heapscope to listen on). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Waits until the far end of {@code c} has read everything sent on it, from the kernel's socket tables (Linux);
     * elsewhere for a second.
     */
    public static void awaitRead(Socket c) throws InterruptedException {
        String near = String.format(":%04X ", c.getLocalPort());
        String far = String.format(":%04X ", c.getPort());
        for (int i = 0; i < 400; i++) {
            List<String> rows;
            try {
                rows = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
                if (Files.exists(Path.of("/proc/net/tcp6"))) {
                    rows.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
                }
            } catch (IOException notLinux) {
                Thread.sleep(1000);
                return;
            }
            boolean pending = false;
            for (String row : rows) {
                String[] f = row.trim().split("\\s+");
                // the reader's side: local = our remote port, remote = our local port; rx_queue is what it has not read
                if (f.length > 4 && (f[1] + " ").endsWith(far) && (f[2] + " ").endsWith(near)) {
                    pending |= !f[4].endsWith(":00000000");
                }
                if (f.length > 4 && (f[1] + " ").endsWith(near) && (f[2] + " ").endsWith(far)) {
                    pending |= !f[4].startsWith("00000000:");
                }
            }
            if (!pending) {
                return;
            }
            Thread.sleep(25);
        }
    }

    /** Waits until heapscope has read every byte (RESET and HOLD peers). */
    public void awaitDelivered() throws InterruptedException {
        delivered.await();
    }

    /** Ends a held connection. */
    public void release() {
        released.countDown();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        released.countDown();
        thread.join(10_000);
        if (server != null) {
            server.close();
        }
    }
}
