package heapscope.dwarf;

import heapscope.util.Sorted;

import java.util.Arrays;

/**
 * Address ranges of an image's sections, for two questions: does an address lie in the ELF at all, and
 * does a DWARF range start in real code? DWARF left behind by the linker for discarded functions
 * points at address 0 or at a tombstone value (-1, -2); ranges that start outside the image's
 * sections are dropped so they cannot capture lookups.
 */
public final class CodeRanges {
    private final long[] begins; // sign-flipped so that signed order equals unsigned order
    private final long[] ends; // sign-flipped too

    private CodeRanges(long[] begins, long[] ends) {
        this.begins = begins;
        this.ends = ends;
    }

    /** @param ranges pairs begin, end (exclusive), in any order */
    public static CodeRanges of(long[][] ranges) {
        long[][] sorted = Arrays.stream(ranges).filter(r -> Long.compareUnsigned(r[1], r[0]) > 0)
                .sorted((x, y) -> Long.compareUnsigned(x[0], y[0])).toArray(long[][]::new);
        long[] b = new long[sorted.length];
        long[] e = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            b[i] = sorted[i][0] ^ Long.MIN_VALUE;
            e[i] = sorted[i][1] ^ Long.MIN_VALUE;
        }
        return new CodeRanges(b, e);
    }

    /** True if a range starting at {@code begin} is real code (not discarded by the linker). */
    public boolean isValid(long begin) {
        if (begins.length == 0) { // no section headers: only reject the classic tombstones
            return begin != 0 && begin != -1L && begin != 0xffffffffL && begin != 0xfffffffeL;
        }
        return contains(begin);
    }

    /** True if {@code address} lies in one of the ranges. */
    public boolean contains(long address) {
        long a = address ^ Long.MIN_VALUE;
        int last = Sorted.lastAtOrBefore(begins, a);
        if (last >= 0 && a < ends[last]) {
            return true;
        }
        // sections may overlap (rare): fall back to a linear check
        for (int i = 0; i < begins.length; i++) {
            if (begins[i] <= a && a < ends[i]) {
                return true;
            }
        }
        return false;
    }
}
