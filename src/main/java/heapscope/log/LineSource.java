package heapscope.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Splits and cleans the lines of a log on a thread of its own, handing them over in batches through a bounded
 * queue, so that reading and cleaning overlap with parsing on the caller's thread. Memory stays bounded by the
 * queue; the reader stops when the consumer closes it.
 */
final class LineSource implements AutoCloseable {
    /** A line longer than this is cut (a UART spewing without newlines must not grow memory). */
    static final int MAX_LINE = 64 * 1024;
    private static final int BATCH = 2048;

    /** Lines {@code [0, count)}; {@code cut[i]} when line i was longer than {@link #MAX_LINE}. Empty = end. */
    record Batch(LogLine[] lines, boolean[] cut, int count, IOException error) {
    }

    private final InputStream in;
    private final LineCleaner cleaner = new LineCleaner();
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(8);
    private final Thread thread;
    private volatile boolean closed;

    LineSource(InputStream in, String name) {
        this.in = in;
        this.thread = new Thread(this::run, "heapscope-log-reader " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next batch; its count is 0 at the end of the input. While none comes, {@code idle} runs every 200 ms on
     * the caller's thread (a live session serves requests there).
     */
    Batch next(Runnable idle) throws IOException {
        try {
            Batch b;
            while ((b = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                idle.run();
            }
            if (b.error() != null) {
                throw b.error();
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the log");
        }
    }

    private void run() {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[256];
        int len = 0;
        boolean cut = false;
        long number = 0;
        LogLine[] lines = new LogLine[BATCH];
        boolean[] cuts = new boolean[BATCH];
        int count = 0;
        try {
            while (!closed) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                int pos = 0;
                while (pos < n) {
                    int nl = indexOfNewline(buf, pos, n);
                    int stop = nl < 0 ? n : nl;
                    int take = Math.min(stop - pos, MAX_LINE - len);
                    cut |= take < stop - pos;
                    if (len + take > line.length) {
                        line = Arrays.copyOf(line, Math.max(line.length * 2, len + take));
                    }
                    System.arraycopy(buf, pos, line, len, take);
                    len += take;
                    pos = nl < 0 ? n : nl + 1;
                    if (nl >= 0) {
                        lines[count] = cleaner.clean(++number, new String(line, 0, len, StandardCharsets.UTF_8));
                        cuts[count++] = cut;
                        len = 0;
                        cut = false;
                        if (count == BATCH) {
                            put(new Batch(lines, cuts, count, null));
                            lines = new LogLine[BATCH];
                            cuts = new boolean[BATCH];
                            count = 0;
                        }
                    }
                }
                if (count > 0 && in.available() == 0) { // a live stream pauses: hand over what came, don't wait for a full batch
                    put(new Batch(Arrays.copyOf(lines, count), Arrays.copyOf(cuts, count), count, null));
                    count = 0;
                }
            }
            if (len > 0 || cut) {
                lines[count] = cleaner.clean(++number, new String(line, 0, len, StandardCharsets.UTF_8));
                cuts[count++] = cut;
            }
            if (count > 0) {
                put(new Batch(lines, cuts, count, null));
            }
            put(new Batch(new LogLine[0], new boolean[0], 0, null));
        } catch (IOException e) {
            try {
                put(new Batch(new LogLine[0], new boolean[0], 0, e));
            } catch (InterruptedException closing) {
                // closed by the consumer: nobody is waiting for the error
            }
        } catch (InterruptedException e) {
            // closed by the consumer
        }
    }

    private void put(Batch b) throws InterruptedException {
        if (!closed) {
            queue.put(b);
        }
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        queue.clear();
        in.close();
    }
}
