package heapscope.sysview;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A window over a byte stream that keeps whole packets in one array, so the decoder can parse a packet with
 * plain array reads and learn about a cut-off packet only at the real end of the data. Tracks absolute offsets
 * for error messages.
 */
final class ByteInput {
    private final InputStream in;
    private final long limit; // bytes this input may deliver from its start, Long.MAX_VALUE = until EOF
    byte[] buf;
    int pos;
    int end;
    private long base; // absolute offset of buf[0]
    private long delivered;
    private boolean eof;
    /**
     * A live stream's window: {@link #ensure} returns what has come once the source has nothing more waiting, so
     * events are decoded as they arrive rather than when a window fills; {@link #more} waits for the rest of a packet,
     * or for the bytes a raw stream's framing verdict depends on.
     */
    private boolean live;

    /** @param capacity initial window; it grows (up to the longest packet) only if the data outgrows it */
    ByteInput(InputStream in, long startOffset, long limit, int capacity) {
        this.in = in;
        this.base = startOffset;
        this.limit = limit;
        this.buf = new byte[capacity];
    }

    /** Absolute offset of {@link #pos}. */
    /** Makes this a live stream's window (see {@link #live}). */
    ByteInput live() {
        live = true;
        return this;
    }

    /** Whether the data has ended: fewer bytes than asked for are then all there is. */
    boolean ended() {
        return eof;
    }

    /**
     * Live: whether more bytes than the window holds come within {@code millis} (asked of the source's {@code available},
     * so a source at its end counts as silent); a file's always do.
     */
    boolean arrives(long millis) throws IOException {
        if (!live) {
            return true;
        }
        long start = System.nanoTime();
        while (in.available() <= 0) {
            if (System.nanoTime() - start >= millis * 1_000_000L) {
                return false;
            }
            LockSupport.parkNanos(50_000); // a USB packet's time at full speed: a fast link is not slowed down
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the stream");
            }
        }
        return true;
    }

    /** Waits for at least one more byte than the window holds (a live window ends too soon), unless the data ends. */
    int more() throws IOException {
        boolean wasLive = live;
        live = false;
        try {
            return ensure(end - pos + 1);
        } finally {
            live = wasLive;
        }
    }

    long offset() {
        return base + pos;
    }

    long offsetOf(int index) {
        return base + index;
    }

    /** Makes at least {@code n} bytes available after {@code pos} unless the data ends first; returns how many are. */
    int ensure(int n) throws IOException {
        if (end - pos >= n || eof) {
            return end - pos;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            base += pos;
            end -= pos;
            pos = 0;
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, n);
        }
        while (end - pos < n && !eof) {
            if (live && end > pos && in.available() <= 0) {
                break; // nothing more waiting: decode what came
            }
            int room = (int) Math.min(buf.length - end, limit - delivered);
            if (room <= 0) {
                eof = true; // the buffer holds n bytes, so no room means the limit is reached
                break;
            }
            int r = in.read(buf, end, room);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
                delivered += r;
            }
        }
        return end - pos;
    }

    boolean atEnd() throws IOException {
        return ensure(1) == 0;
    }
}
