package heapscope.util;

import java.util.Arrays;

/** A set of longs in one open-addressing array, at most {@code limit} of them: no boxing on a per-line path. */
public final class LongSet {
    private static final long EMPTY = Long.MIN_VALUE; // no address is this; stored as a flag instead
    private final int limit;
    private long[] slots = new long[64];
    private int size;
    private boolean hasEmpty;

    public LongSet(int limit) {
        this.limit = limit;
        Arrays.fill(slots, EMPTY);
    }

    /** Adds {@code v}; false when it was there already or the set is full. */
    public boolean add(long v) {
        if (v == EMPTY) {
            boolean added = !hasEmpty && size < limit;
            hasEmpty |= added;
            size += added ? 1 : 0;
            return added;
        }
        int mask = slots.length - 1;
        for (int i = hash(v) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == v) {
                return false;
            }
            if (slots[i] == EMPTY) {
                if (size >= limit) {
                    return false;
                }
                slots[i] = v;
                if (++size * 2 > slots.length) {
                    grow();
                }
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        Arrays.fill(slots, EMPTY);
        int mask = slots.length - 1;
        for (long v : old) {
            if (v != EMPTY) {
                int i = hash(v) & mask;
                while (slots[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slots[i] = v;
            }
        }
    }

    private static int hash(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
