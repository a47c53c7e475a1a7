package heapscope.analysis;

import java.util.Arrays;

/**
 * Tells one-time allocations from real growth without cycle markers: for each leaking call stack, where in the
 * capture its surviving blocks were allocated. All within the first tenth: start-up. None in the last third
 * although they started later than that: a plateau (a cache that filled). Otherwise growing, at the Theil-Sen
 * rate of its cumulative surviving bytes over time.
 */
public final class GrowthAnalysis {
    private static final double STARTUP = 0.10;
    private static final double QUIET_TAIL = 0.33;
    private static final int MAX_POINTS = 200;
    /** Below this a capture says nothing about growth over time. */
    private static final double MIN_SPAN_NS = 10e9;

    private GrowthAnalysis() {
    }

    /**
     * The growth of one call stack whose surviving blocks were allocated at {@code times}, with {@code sizes}, both
     * in time order, in a capture from {@code startNs} to {@code endNs}.
     */
    static Growth of(long[] times, long[] sizes, long startNs, long endNs) {
        double span = endNs - startNs;
        if (span < MIN_SPAN_NS) {
            return new Growth(Growth.Kind.UNKNOWN, 0);
        }
        int n = times.length;
        double first = (times[0] - startNs) / span;
        double last = (times[n - 1] - startNs) / span;
        if (last <= STARTUP) {
            return new Growth(Growth.Kind.ONE_TIME, 0);
        }
        if (n < 3) {
            return new Growth(Growth.Kind.UNKNOWN, 0);
        }
        if (last < 1 - QUIET_TAIL && last - first > STARTUP / 2) {
            return new Growth(Growth.Kind.PLATEAU, 0);
        }
        // cumulative surviving bytes against time, thinned to a bounded number of points
        int points = Math.min(n, MAX_POINTS);
        double[] x = new double[points];
        double[] y = new double[points];
        long total = 0;
        int p = 0;
        for (int i = 0; i < n; i++) {
            total += sizes[i];
            if ((long) i * points / n != (long) (i + 1) * points / n) {
                x[p] = (times[i] - startNs) / 1e9;
                y[p++] = total;
            }
        }
        double slope = TrendAnalysis.theilSen(Arrays.copyOf(x, p), Arrays.copyOf(y, p))[0];
        if (Double.isNaN(slope)) { // all dated alike (one heap listing's blocks): no rate to tell
            return new Growth(Growth.Kind.UNKNOWN, 0);
        }
        return new Growth(Growth.Kind.GROWING, slope * 60);
    }
}
