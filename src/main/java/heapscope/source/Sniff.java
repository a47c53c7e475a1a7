package heapscope.source;

import java.io.IOException;
import java.io.InputStream;

/** Tells a SystemView trace from a text log by its first bytes, without consuming them. */
public final class Sniff {
    public enum Kind { SYSTEMVIEW, TEXT }

    private Sniff() {
    }

    /** {@code in} must support mark/reset. */
    public static Kind kind(InputStream in, String name) throws IOException {
        in.mark(64);
        byte[] head = in.readNBytes(16);
        in.reset();
        if (head.length == 0) {
            throw new InputException(name + ": empty input");
        }
        if (head[0] == ';' && head.length > 1 && head[1] == '\n') {
            return Kind.SYSTEMVIEW; // OpenOCD's header
        }
        int zeros = 0;
        while (zeros < head.length && head[zeros] == 0) {
            zeros++;
        }
        return zeros >= Math.min(10, head.length) ? Kind.SYSTEMVIEW : Kind.TEXT;
    }
}
