package heapscope.util;

import java.util.function.IntBinaryOperator;

/**
 * A stable sort of {@code int} indices by a comparison of what they index, without boxing: sorting a million
 * groups kept in primitive arrays costs two {@code int[]}, not a million {@code Integer}s.
 */
public final class IndexSort {
    private static final int INSERTION = 16;

    private IndexSort() {
    }

    /** Sorts {@code a} in place, equal elements keeping their order; {@code compare} is a comparator over the ints. */
    public static void sort(int[] a, IntBinaryOperator compare) {
        sort(a.clone(), a, 0, a.length, compare);
    }

    /** Sorts {@code src[lo, hi)} into {@code dst[lo, hi)}; on entry both hold the same elements there. */
    private static void sort(int[] src, int[] dst, int lo, int hi, IntBinaryOperator compare) {
        if (hi - lo <= INSERTION) {
            for (int i = lo + 1; i < hi; i++) {
                int x = dst[i];
                int j = i - 1;
                while (j >= lo && compare.applyAsInt(dst[j], x) > 0) {
                    dst[j + 1] = dst[j];
                    j--;
                }
                dst[j + 1] = x;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        sort(dst, src, lo, mid, compare);
        sort(dst, src, mid, hi, compare);
        if (compare.applyAsInt(src[mid - 1], src[mid]) <= 0) { // in order already (often, where rows follow time): no merge
            System.arraycopy(src, lo, dst, lo, hi - lo);
            return;
        }
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
            dst[k] = j >= hi || i < mid && compare.applyAsInt(src[i], src[j]) <= 0 ? src[i++] : src[j++];
        }
    }
}
