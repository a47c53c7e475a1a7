package heapscope.coredump;

import java.util.List;

/** A hand-made stack: words placed at addresses, as one dump segment. */
final class Stack {
    private final long base;
    private final byte[] data;

    Stack(long base, int bytes) {
        this.base = base;
        this.data = new byte[bytes];
    }

    Stack put(long address, long... words) {
        for (long w : words) {
            int i = (int) (address - base);
            for (int k = 0; k < 4; k++) {
                data[i + k] = (byte) (w >>> (8 * k));
            }
            address += 4;
        }
        return this;
    }

    Memory memory() {
        return new Memory(List.of(new Segment(base, data, Segment.PF_R | Segment.PF_W)));
    }
}
