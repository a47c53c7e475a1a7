package heapscope.dwarf;

import heapscope.util.Sorted;

import java.util.Arrays;

/**
 * Immutable map from address ranges [begin, end) to int values, for "which entries contain this
 * address" queries. Ranges may overlap or nest; lookups scan back from the last range starting at or
 * before the address, bounded by a running maximum of range ends. Addresses are unsigned.
 */
final class RangeIndex {
    private final long[] begins; // sign-flipped so that signed order equals unsigned order
    private final long[] ends;
    private final long[] maxEnd; // maxEnd[i] = max(ends[0..i])
    private final int[] values;

    private RangeIndex(long[] begins, long[] ends, int[] values) {
        this.begins = begins;
        this.ends = ends;
        this.values = values;
        this.maxEnd = new long[ends.length];
        long m = Long.MIN_VALUE;
        for (int i = 0; i < ends.length; i++) {
            m = Math.max(m, ends[i]);
            maxEnd[i] = m;
        }
    }

    int size() {
        return values.length;
    }

    /** The value of the range containing {@code address} that starts last (the innermost), or -1. */
    int find(long address) {
        long a = address ^ Long.MIN_VALUE;
        for (int i = Sorted.lastAtOrBefore(begins, a); i >= 0 && maxEnd[i] > a; i--) {
            if (ends[i] > a) {
                return values[i];
            }
        }
        return -1;
    }

    /** Values of every range containing {@code address}, innermost first. */
    int[] findAll(long address) {
        long a = address ^ Long.MIN_VALUE;
        int[] out = new int[4];
        int n = 0;
        for (int i = Sorted.lastAtOrBefore(begins, a); i >= 0 && maxEnd[i] > a; i--) {
            if (ends[i] > a) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = values[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Collects ranges, then sorts them into an index. */
    static final class Builder {
        private long[] begins = new long[16];
        private long[] ends = new long[16];
        private int[] values = new int[16];
        private int n;

        void add(long begin, long end, int value) {
            if (Long.compareUnsigned(end, begin) <= 0) {
                return;
            }
            if (n == values.length) {
                begins = Arrays.copyOf(begins, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            begins[n] = begin ^ Long.MIN_VALUE;
            ends[n] = end ^ Long.MIN_VALUE;
            values[n] = value;
            n++;
        }

        RangeIndex build() {
            // Sort indices by begin; ties keep insertion order (stable), so outer entries stay first.
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Long.compare(begins[x], begins[y]));
            long[] b = new long[n];
            long[] e = new long[n];
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                int j = order[i];
                b[i] = begins[j];
                e[i] = ends[j];
                v[i] = values[j];
            }
            return new RangeIndex(b, e, v);
        }
    }
}
