package heapscope.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Standard output that notices its reader going away ({@code heapscope events ... | head}): System.out and
 * PrintWriter swallow the broken pipe, so a command would go on decoding to the end for nobody. Each chunk written
 * is checked as it goes out; {@link #closed()} is then a cheap test to make per line.
 */
final class WatchedOutput extends FilterOutputStream {
    /** Exit status when the reader of standard output went away: 128 + SIGPIPE, as cat or grep report it. */
    static final int BROKEN_PIPE = 141;

    private final PrintStream target;
    private boolean closed;

    WatchedOutput(PrintStream target) {
        super(target);
        this.target = target;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (!closed) {
            target.write(b, off, len);
            closed = target.checkError(); // flushes and tells whether the write failed
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() {
        closed |= target.checkError();
    }

    @Override
    public void close() throws IOException {
        flush(); // standard output stays open for whatever the process prints after
    }

    /** Whether writing failed: the reader is gone, and what is still written goes nowhere. */
    boolean closed() {
        return closed;
    }
}
