package heapscope.source;

import heapscope.trace.Warning;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A TCP stream read as a capture that ends cleanly whatever ends it. The peer closing the connection is the end of
 * input; so are a connection lost mid-stream (reset, network gone: what came is kept and {@link #cut()} says where
 * it stopped), no data for the idle timeout, and a stop signal (Ctrl-C, SIGTERM: {@link StopOnSignal}), so that the
 * command reports everything received. When listening, the peer's connection is accepted on the first read, after
 * every listening input is bound: OpenOCD connects to one port per core in turn.
 */
public final class LiveStream extends InputStream {
    /** Reads wait at most this long before looking whether to stop: a stop never cuts data already received. */
    private static final int POLL_MS = 200;

    private final String name;
    private final long idleTimeoutMs;
    private final Consumer<String> notices;
    private final StopOnSignal stop;
    private ServerSocket server;
    private Socket socket;
    private InputStream in;
    private long offset;
    private long stopAt = -1;
    private long lastNs = System.nanoTime();
    private boolean ended;
    private volatile boolean stopRequested;
    private volatile boolean closed;
    private volatile Cut cut;

    private LiveStream(String name, Socket socket, ServerSocket server, long idleTimeoutMs, Consumer<String> notices)
            throws IOException {
        this.name = name;
        this.socket = socket;
        this.server = server;
        this.idleTimeoutMs = idleTimeoutMs;
        this.notices = notices;
        if (socket != null) {
            connected(socket);
        } else {
            server.setSoTimeout(POLL_MS);
        }
        this.stop = StopOnSignal.install(name, () -> stopRequested = true);
    }

    /** A connection made to the peer. */
    static LiveStream connected(String name, Socket socket, long idleTimeoutMs, Consumer<String> notices) throws IOException {
        return new LiveStream(name, socket, null, idleTimeoutMs, notices);
    }

    /** The one connection the peer will make to {@code server}. */
    static LiveStream accepting(String name, ServerSocket server, long idleTimeoutMs, Consumer<String> notices) throws IOException {
        return new LiveStream(name, null, server, idleTimeoutMs, notices);
    }

    private void connected(Socket s) throws IOException {
        s.setSoTimeout(POLL_MS);
        in = s.getInputStream();
        lastNs = System.nanoTime();
    }

    /** Bytes received so far. */
    public long offset() {
        return offset;
    }

    /** Where the connection was lost ({@code warning}) and the system's word for it ({@code why}). */
    public record Cut(Warning warning, String why) {
    }

    /** Where and why the connection was lost before the peer ended the stream, if it was. */
    public Optional<Cut> cut() {
        return Optional.ofNullable(cut);
    }

    @Override
    public int read() throws IOException {
        return SingleByte.read(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!ended) {
            try {
                if (stopRequested) {
                    if (stopAt < 0) { // what had arrived when the signal came is still read; nothing after it
                        if (in == null) {
                            acceptPending();
                        }
                        stopAt = offset + (in == null ? 0 : in.available());
                    }
                    if (offset >= stopAt) {
                        return end("stopped at byte " + offset + "; the report covers what came before");
                    }
                    len = (int) Math.min(len, stopAt - offset);
                }
                if (in == null) {
                    accept();
                    continue;
                }
                int n = in.read(b, off, len);
                if (n < 0) {
                    ended = true;
                } else {
                    offset += n;
                    lastNs = System.nanoTime();
                    return n;
                }
            } catch (SocketTimeoutException poll) {
                long idleMs = (System.nanoTime() - lastNs) / 1_000_000;
                if (idleTimeoutMs > 0 && idleMs >= idleTimeoutMs) {
                    return end((in == null ? "no connection for " : "no data for ") + seconds(idleTimeoutMs)
                            + " (--idle-timeout); ending the capture at byte " + offset);
                }
            } catch (IOException lost) {
                if (closed) { // by another thread on the way out (a monitor's Ctrl-C handler): not a lost connection
                    ended = true;
                    return -1;
                }
                if (stopRequested) {
                    continue;
                }
                cut = new Cut(new Warning(name, Warning.Unit.BYTE, offset, "connection lost (" + lost.getMessage()
                        + "); the capture ends here, what follows was not received"), lost.getMessage());
                ended = true;
            }
        }
        return -1;
    }

    /** Accepts a connection already made, if there is one. */
    private void acceptPending() throws IOException {
        try {
            accept();
        } catch (SocketTimeoutException none) {
            // no peer came
        }
    }

    private void accept() throws IOException {
        Socket s = server.accept();
        server.close(); // one peer per input; the port is free again
        server = null;
        socket = s;
        connected(s);
        notices.accept(name + ": connection from " + s.getRemoteSocketAddress());
    }

    private int end(String notice) {
        ended = true;
        notices.accept(name + ": " + notice);
        return -1;
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        ended = true;
        stop.close();
        try (ServerSocket s = server; Socket c = socket) {
            server = null;
            socket = null;
        }
    }
}
