package heapscope.source;

import java.io.IOException;
import java.io.InputStream;

/** The one-byte {@code read()} of a stream whose real work is in {@code read(byte[], int, int)}. */
public final class SingleByte {
    private SingleByte() {
    }

    /** {@code in.read()} through its block read, so that one byte goes the same way as many (tee, stop, spill). */
    public static int read(InputStream in) throws IOException {
        byte[] one = new byte[1];
        return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }
}
