package heapscope.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Live traced bytes over the capture, in a bounded number of time buckets: each keeps the lowest, highest and
 * last value inside it, so a chart drawn from a few thousand buckets still shows every dip and peak that matters
 * for leaks, whatever the number of events. Buckets double in width (pairs merge) when the capture outgrows them.
 */
public final class Timeline {
    /** One bucket: live bytes at its lowest, highest and at its last event. */
    public record Point(long startNs, long endNs, long min, long max, long last) {
    }

    static final int MAX_BUCKETS = 4096;

    private long origin = -1;
    private long width = 1_000_000; // 1 ms, doubled as needed
    private final long[] min = new long[MAX_BUCKETS];
    private final long[] max = new long[MAX_BUCKETS];
    private final long[] last = new long[MAX_BUCKETS];
    private final boolean[] used = new boolean[MAX_BUCKETS];
    private int count;
    /** The bucket of the last event: -1 before any. */
    private int bucket = -1;

    void add(long timeNs, long live) {
        if (origin < 0) {
            origin = timeNs;
        }
        long t = Math.max(0, timeNs - origin);
        int i;
        if (bucket >= 0 && t >= bucket * width && t - bucket * width < width) {
            i = bucket; // most events fall in the bucket of the one before: no division
        } else {
            while (t / width >= MAX_BUCKETS) {
                halve();
            }
            i = (int) (t / width);
            bucket = i;
        }
        if (!used[i]) {
            used[i] = true;
            min[i] = max[i] = live;
            count = Math.max(count, i + 1);
        } else {
            min[i] = Math.min(min[i], live);
            max[i] = Math.max(max[i], live);
        }
        last[i] = live;
    }

    /** Merges bucket pairs: twice the width, half the buckets. */
    private void halve() {
        for (int i = 0; i < MAX_BUCKETS / 2; i++) {
            int a = 2 * i;
            int b = a + 1;
            boolean ua = used[a];
            boolean ub = used[b];
            if (ua && ub) {
                min[i] = Math.min(min[a], min[b]);
                max[i] = Math.max(max[a], max[b]);
                last[i] = last[b];
            } else if (ua || ub) {
                int s = ua ? a : b;
                min[i] = min[s];
                max[i] = max[s];
                last[i] = last[s];
            }
            used[i] = ua || ub;
        }
        Arrays.fill(used, MAX_BUCKETS / 2, MAX_BUCKETS, false);
        count = (count + 1) / 2;
        width *= 2;
        bucket = -1;
    }

    /** The used buckets, in time order. */
    public List<Point> points() {
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (used[i]) {
                out.add(new Point(origin + i * width, origin + (i + 1) * width, min[i], max[i], last[i]));
            }
        }
        return out;
    }
}
