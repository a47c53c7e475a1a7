package heapscope.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads keys from the terminal (or any stream: a test's pipe) on a thread of its own and hands each action of
 * {@link Keys} on, in order. It ends with its input; a session that ends first leaves it blocked in its read, a
 * daemon thread that does not hold the process.
 */
public final class KeyReader implements AutoCloseable {
    private final Thread thread;
    private volatile boolean closed;

    public KeyReader(InputStream in, Keys keys, Consumer<KeyAction> actions) {
        thread = new Thread(() -> {
            byte[] buf = new byte[256];
            try {
                for (int n = in.read(buf); n >= 0 && !closed; n = in.read(buf)) {
                    for (KeyAction a : keys.feed(buf, 0, n)) {
                        if (!closed) {
                            actions.accept(a);
                        }
                    }
                }
            } catch (IOException gone) {
                // the terminal went away: the session goes on without keys
            }
        }, "heapscope-keys");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the input to end, at most {@code ms}: for a test. */
    void join(long ms) throws InterruptedException {
        thread.join(ms);
    }

    /** No action after this one. */
    @Override
    public void close() {
        closed = true;
    }
}
