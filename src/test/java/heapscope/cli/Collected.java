package heapscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

/** What a stream delivers (a pty's end, a process's output), collected on a daemon thread until it ends. */
final class Collected {
    private final StringBuilder text = new StringBuilder();

    Collected(InputStream in, Charset charset) {
        Thread t = new Thread(() -> {
            byte[] b = new byte[4096];
            try (in) {
                for (int n = in.read(b); n > 0; n = in.read(b)) {
                    synchronized (text) {
                        text.append(new String(b, 0, n, charset));
                    }
                }
            } catch (IOException gone) {
                // the stream's other end went away
            }
        }, "collected");
        t.setDaemon(true);
        t.start();
    }

    /** Waits up to 30 s for {@code expected} to have arrived; returns everything that did. */
    String await(String expected) throws InterruptedException {
        for (int i = 0; i < 300 && !all().contains(expected); i++) {
            Thread.sleep(100);
        }
        return all();
    }

    String all() {
        synchronized (text) {
            return text.toString();
        }
    }
}
