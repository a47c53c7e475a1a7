package heapscope.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Eight bytes of a line at a time: the reading thread splits lines and reads records this way. */
final class Words {
    static final long ONES = 0x0101010101010101L;
    static final long HIGH = 0x8080808080808080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Words() {
    }

    /** The eight bytes at {@code b[at]}, the first in the lowest byte of the word. */
    static long at(byte[] b, int at) {
        return (long) LONGS.get(b, at);
    }

    /**
     * 0x80 in the bytes of {@code word} that are {@code c}, the lowest exactly (bytes above a match may be flagged too):
     * XOR turns those bytes into zero bytes, and the classic zero-byte test flags them.
     */
    static long matches(long word, int c) {
        long x = word ^ ONES * c;
        return (x - ONES) & ~x & HIGH;
    }
}
