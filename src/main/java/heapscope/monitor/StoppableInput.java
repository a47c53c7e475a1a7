package heapscope.monitor;

import heapscope.source.SingleByte;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A source another thread can end (Ctrl-] in the monitor): after {@link #stop} a read returns end of input, also
 * one blocked at that moment, whose source is closed under it.
 */
public final class StoppableInput extends FilterInputStream {
    private volatile boolean stopped;

    public StoppableInput(InputStream in) {
        super(in);
    }

    public void stop() {
        stopped = true;
        try {
            in.close();
        } catch (IOException ignored) {
            // ending anyway
        }
    }

    @Override
    public int read() throws IOException {
        return SingleByte.read(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (stopped) {
            return -1;
        }
        try {
            int n = in.read(b, off, len);
            return n;
        } catch (IOException e) {
            if (stopped) {
                return -1;
            }
            throw e;
        }
    }
}
