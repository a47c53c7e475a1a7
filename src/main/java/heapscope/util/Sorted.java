package heapscope.util;

/**
 * Binary search in sorted {@code long} arrays, the one question every index here asks: which is the last entry
 * at or before a key (the range, symbol, line row, unit or cycle that starts there). Equal keys resolve to the
 * last of them, so the entry that starts last wins. Unsigned values (target addresses) are searched by storing
 * and asking them with the sign bit flipped ({@code x ^ Long.MIN_VALUE}), which turns unsigned order into signed.
 */
public final class Sorted {
    private Sorted() {
    }

    /** Index of the last element {@code <= key} of an array sorted ascending (signed), or -1 if none is. */
    public static int lastAtOrBefore(long[] sorted, long key) {
        return lastAtOrBefore(sorted, 0, sorted.length, key);
    }

    /**
     * Index in {@code [from, to)} of the last element {@code <= key} (signed), or {@code from - 1} if none is;
     * that slice must be sorted ascending.
     */
    public static int lastAtOrBefore(long[] sorted, int from, int to, long key) {
        int lo = from;
        int hi = to;
        while (lo < hi) { // invariant: [from, lo) <= key < [hi, to)
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}
