package heapscope.analysis;

import heapscope.trace.HeapSample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells a leaking free-heap series from a flat but noisy one. Free heap on a busy device swings with every
 * request; what a leak moves is the floor. So each series is cut into windows, the lowest reading of each window
 * (its low-water mark) is kept, and a Theil-Sen line through those minima gives a rate that a few outliers cannot
 * move, with a 99 % confidence interval from Kendall's rank statistic. The verdict is a leak only when the whole
 * interval is below zero and the fall over the capture exceeds the minima's own scatter (so a long, flat, noisy
 * series with a tiny but "significant" slope is not called a leak). False-alarm rate and the smallest rate
 * detected are measured in TrendAnalysisTest and recorded in docs/analysis.md.
 */
public final class TrendAnalysis {
    /** Fewer readings than this cannot give a verdict. */
    public static final int MIN_SAMPLES = 12;
    private static final int MAX_WINDOWS = 48;
    private static final double Z99 = 2.5758;
    /** A fall smaller than this many times the minima's scatter is not a leak, whatever the statistics say. */
    private static final double NOISE_FACTOR = 3;
    /** Nor is a fall under 256 bytes over the whole capture. */
    private static final double MIN_FALL = 256;

    private TrendAnalysis() {
    }

    /** One trend per label, in order of first appearance. */
    public static List<Trend> of(List<HeapSample> samples) {
        Map<String, List<HeapSample>> byLabel = new LinkedHashMap<>();
        for (HeapSample s : samples) {
            if (s.free() >= 0) {
                byLabel.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
            }
        }
        List<Trend> out = new ArrayList<>();
        for (Map.Entry<String, List<HeapSample>> e : byLabel.entrySet()) {
            out.add(series(e.getKey(), e.getValue()));
        }
        return out;
    }

    static Trend series(String label, List<HeapSample> s) {
        int n = s.size();
        boolean timed = s.stream().allMatch(HeapSample::timed) && s.get(n - 1).timeNs() > s.get(0).timeNs();
        double[] x = new double[n];
        double[] y = new double[n];
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            x[i] = timed ? (s.get(i).timeNs() - s.get(0).timeNs()) / 1e9 : i;
            y[i] = s.get(i).free();
            lowest = Math.min(lowest, s.get(i).free());
        }
        double[] frag = fragmentation(s);
        long first = s.get(0).free();
        long last = s.get(n - 1).free();
        double span = x[n - 1] - x[0];
        if (n < MIN_SAMPLES || span <= 0) {
            return new Trend(label, n, timed, span, first, last, lowest, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Trend.Verdict.TOO_SHORT, Double.POSITIVE_INFINITY, frag[0], frag[1], largest(s));
        }
        double[][] minima = windowMinima(x, y);
        double[] fit = theilSen(minima[0], minima[1]);
        double slope = fit[0];
        double noise = scatter(minima[0], minima[1], slope, fit[3]);
        double fall = -slope * span;
        Trend.Verdict verdict;
        if (fit[2] < 0 && fall > Math.max(MIN_FALL, NOISE_FACTOR * noise)) {
            verdict = Trend.Verdict.LEAK;
        } else if (fit[1] > 0 && slope * span > Math.max(MIN_FALL, NOISE_FACTOR * noise)) {
            verdict = Trend.Verdict.RECOVERING;
        } else {
            verdict = Trend.Verdict.STABLE;
        }
        double floorNow = fit[3] + slope * x[n - 1];
        double toEmpty = slope < 0 && verdict == Trend.Verdict.LEAK ? Math.max(0, floorNow) / -slope : Double.POSITIVE_INFINITY;
        return new Trend(label, n, timed, span, first, last, lowest, slope, fit[1], fit[2], noise, verdict, toEmpty, frag[0], frag[1], largest(s));
    }

    /** Lowest reading of each of up to {@link #MAX_WINDOWS} equal-count windows, at the window's middle x. */
    private static double[][] windowMinima(double[] x, double[] y) {
        int n = x.length;
        int windows = Math.min(MAX_WINDOWS, Math.max(MIN_SAMPLES / 2, n / 4));
        windows = Math.min(windows, n);
        double[] wx = new double[windows];
        double[] wy = new double[windows];
        for (int w = 0; w < windows; w++) {
            int from = (int) ((long) w * n / windows);
            int to = (int) ((long) (w + 1) * n / windows);
            double min = Double.MAX_VALUE;
            for (int i = from; i < to; i++) {
                min = Math.min(min, y[i]);
            }
            wx[w] = (x[from] + x[to - 1]) / 2;
            wy[w] = min;
        }
        return new double[][] {wx, wy};
    }

    /**
     * Theil-Sen: {slope, ci low, ci high, intercept} with the 99 % interval from Kendall's S variance, widened by
     * the lag-1 autocorrelation of the residuals: a wandering level makes neighbouring minima alike, so they
     * carry less evidence than independent points would.
     */
    static double[] theilSen(double[] x, double[] y) {
        int n = x.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (x[j] != x[i]) {
                    slopes[m++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        slopes = Arrays.copyOf(slopes, m);
        if (m == 0) { // all points at one x: no slope, and no interval around it
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        Arrays.sort(slopes);
        double slope = median(slopes);
        double[] intercepts = new double[n];
        for (int i = 0; i < n; i++) {
            intercepts[i] = y[i] - slope * x[i];
        }
        double[] sorted = intercepts.clone();
        Arrays.sort(sorted);
        double intercept = median(sorted);
        double rho = lag1Autocorrelation(intercepts, intercept);
        double c = Z99 * Math.sqrt(n * (n - 1.0) * (2.0 * n + 5) / 18 * (1 + rho) / (1 - rho));
        int lo = (int) Math.floor((m - c) / 2);
        int hi = (int) Math.ceil((m + c) / 2);
        double low = slopes[Math.max(0, Math.min(m - 1, lo))];
        double high = slopes[Math.max(0, Math.min(m - 1, hi))];
        return new double[] {slope, low, high, intercept};
    }

    /** Lag-1 autocorrelation of the residuals (each point's intercept minus the fitted one), in [0, 0.9]. */
    private static double lag1Autocorrelation(double[] intercepts, double intercept) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < intercepts.length; i++) {
            double r = intercepts[i] - intercept;
            den += r * r;
            if (i > 0) {
                num += r * (intercepts[i - 1] - intercept);
            }
        }
        return den == 0 ? 0 : Math.max(0, Math.min(0.9, num / den));
    }

    /** Median absolute deviation of the minima from the fitted line, scaled to a standard deviation. */
    private static double scatter(double[] x, double[] y, double slope, double intercept) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.abs(y[i] - (intercept + slope * x[i]));
        }
        Arrays.sort(r);
        return 1.4826 * median(r);
    }

    private static Trend.Largest largest(List<HeapSample> s) {
        long first = -1;
        long last = -1;
        long lowest = Long.MAX_VALUE;
        for (HeapSample h : s) {
            if (h.largestFree() >= 0) {
                first = first < 0 ? h.largestFree() : first;
                last = h.largestFree();
                lowest = Math.min(lowest, last);
            }
        }
        return first < 0 ? null : new Trend.Largest(first, last, lowest);
    }

    /** {last ratio, drop of the ratio from the first quarter to the last}; NaN when no largest-free-block figures. */
    private static double[] fragmentation(List<HeapSample> s) {
        List<Double> ratios = new ArrayList<>();
        for (HeapSample h : s) {
            if (h.largestFree() >= 0 && h.free() > 0) {
                ratios.add((double) h.largestFree() / h.free());
            }
        }
        if (ratios.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int q = Math.max(1, ratios.size() / 4);
        double early = ratios.subList(0, q).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double late = ratios.subList(ratios.size() - q, ratios.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new double[] {ratios.get(ratios.size() - 1), early - late};
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
