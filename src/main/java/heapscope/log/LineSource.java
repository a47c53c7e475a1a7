package heapscope.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Splits and cleans the lines of a log on a thread of its own, handing them over in batches through a bounded
 * queue, so that reading and cleaning overlap with parsing on the caller's thread. Memory stays bounded by the
 * queue; the reader stops when the consumer closes it. While the consumer is behind (the queue half full) this thread
 * also reads the heap trace records ({@link LogLine#record}), which the consumer reads itself otherwise: so the two
 * share that work whichever of them a log keeps busier (the dumps alone, or a monitor capture full of decorations).
 */
final class LineSource implements AutoCloseable {
    /** A line longer than this is cut (a UART spewing without newlines must not grow memory). */
    static final int MAX_LINE = 64 * 1024;
    private static final int BATCH = 2048;
    private static final int QUEUE = 8; // batches

    /** Lines {@code [0, count)}; {@code cut[i]} when line i was longer than {@link #MAX_LINE}. Empty = end. */
    record Batch(LogLine[] lines, boolean[] cut, int count, IOException error) {
    }

    private final InputStream in;
    private final LineCleaner cleaner = new LineCleaner();
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE);
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
            while ((b = queue.poll(200, TimeUnit.MILLISECONDS)) == null) {
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
        byte[] buf = new byte[1 << 20]; // larger than MAX_LINE, so compacting always frees room
        int start = 0; // first byte of the current line
        int scan = 0; // where the newline search resumes
        int end = 0; // end of the bytes read
        byte[] head = null; // an over-long line's first MAX_LINE bytes, while the rest of it is dropped
        long number = 0;
        LogLine[] lines = new LogLine[BATCH];
        boolean[] cuts = new boolean[BATCH];
        int count = 0;
        try {
            while (!closed) {
                if (end == buf.length) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    scan -= start;
                    end -= start;
                    start = 0;
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    break;
                }
                end += n;
                for (int nl; (nl = indexOfNewline(buf, scan, end)) >= 0; start = scan = nl + 1) {
                    boolean cut = head != null || nl - start > MAX_LINE;
                    LogLine l = head != null ? line(++number, head, 0, MAX_LINE, true)
                            : line(++number, buf, start, Math.min(nl, start + MAX_LINE), cut);
                    head = null;
                    if (l == null) {
                        continue; // a decoration that names nothing new
                    }
                    lines[count] = l;
                    cuts[count++] = cut;
                    if (count == BATCH) {
                        put(new Batch(lines, cuts, count, null));
                        cleaner.readRecords(queue.size() >= QUEUE / 2);
                        lines = new LogLine[BATCH];
                        cuts = new boolean[BATCH];
                        count = 0;
                    }
                }
                scan = end;
                if (head == null && end - start > MAX_LINE) {
                    head = Arrays.copyOfRange(buf, start, start + MAX_LINE); // a UART spewing without newlines
                }
                if (head != null) {
                    start = scan = end = 0;
                }
                if (count > 0 && in.available() == 0) { // a live stream pauses: hand over what came, don't wait for a full batch
                    put(new Batch(Arrays.copyOf(lines, count), Arrays.copyOf(cuts, count), count, null));
                    count = 0;
                }
            }
            if (head != null || end > start) {
                LogLine l = head != null ? line(++number, head, 0, MAX_LINE, true) : line(++number, buf, start, end, false);
                if (l != null) {
                    lines[count] = l;
                    cuts[count++] = head != null;
                }
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

    /**
     * The cleaned line; an over-long decoration is kept as an empty line, so that its cut is still reported; null for
     * a decoration that names nothing new.
     */
    private LogLine line(long number, byte[] b, int from, int to, boolean cut) {
        LogLine l = cleaner.clean(number, b, from, to);
        return (l == null || l.decoration()) && cut ? new LogLine(number, "", (char) 0, -1, null, -1, false) : l;
    }

    private void put(Batch b) throws InterruptedException {
        if (!closed) {
            queue.put(b);
        }
    }

    /**
     * The first LF in {@code b[from, to)}, or -1. Eight bytes per step (a byte-at-a-time loop costs as much as all
     * the rest of the line handling).
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long lf = Words.matches(Words.at(b, i), '\n');
            if (lf != 0) {
                return i + (Long.numberOfTrailingZeros(lf) >>> 3);
            }
        }
        for (; i < to; i++) {
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
