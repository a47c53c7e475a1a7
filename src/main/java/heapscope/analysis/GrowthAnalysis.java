package heapscope.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** Growth per call stack id of the leak groups. */
    public static Map<Integer, Growth> of(List<LeakedBlock> leaks, long startNs, long endNs) {
        Map<Integer, List<LeakedBlock>> byStack = new HashMap<>();
        for (LeakedBlock b : leaks) {
            byStack.computeIfAbsent(b.stack(), k -> new ArrayList<>()).add(b);
        }
        Map<Integer, Growth> out = new HashMap<>();
        double span = endNs - startNs;
        for (Map.Entry<Integer, List<LeakedBlock>> e : byStack.entrySet()) {
            out.put(e.getKey(), classify(e.getValue(), startNs, span));
        }
        return out;
    }

    private static Growth classify(List<LeakedBlock> blocks, long startNs, double span) {
        if (span < MIN_SPAN_NS) {
            return new Growth(Growth.Kind.UNKNOWN, 0);
        }
        List<LeakedBlock> sorted = new ArrayList<>(blocks);
        sorted.sort((a, b) -> Long.compare(a.timeNs(), b.timeNs()));
        double first = (sorted.get(0).timeNs() - startNs) / span;
        double last = (sorted.get(sorted.size() - 1).timeNs() - startNs) / span;
        if (last <= STARTUP) {
            return new Growth(Growth.Kind.ONE_TIME, 0);
        }
        if (sorted.size() < 3) {
            return new Growth(Growth.Kind.UNKNOWN, 0);
        }
        if (last < 1 - QUIET_TAIL && last - first > STARTUP / 2) {
            return new Growth(Growth.Kind.PLATEAU, 0);
        }
        // cumulative surviving bytes against time, thinned to a bounded number of points
        int n = sorted.size();
        int points = Math.min(n, MAX_POINTS);
        double[] x = new double[points];
        double[] y = new double[points];
        long total = 0;
        int p = 0;
        for (int i = 0; i < n; i++) {
            total += sorted.get(i).size();
            if ((long) i * points / n != (long) (i + 1) * points / n) {
                x[p] = (sorted.get(i).timeNs() - startNs) / 1e9;
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
