package heapscope.analysis;

import heapscope.util.Sorted;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a capture's leaks by cycle of repeated work and finds the steady leak per cycle, as a developer would
 * by hand: the blocks allocated during each cycle and still live at the end are that cycle's leak; the median
 * over the cycles after warm-up (and before the last, still open, one) is the steady rate; a call stack that
 * leaks in nearly every such cycle is the per-cycle leak, one that leaks only during warm-up is initialisation.
 */
public final class CycleAnalysis {
    /** A site leaking in at least this share of the steady cycles leaks "every cycle". */
    private static final double EVERY = 0.8;

    /**
     * @param markers   cycle start times and the text that marked them, in time order
     * @param graceNs   blocks allocated this close to the end of the capture are not counted (they may be freed soon)
     * @param warmup    leading cycles left out of the steady state
     * @param freeHeap  free heap for the forecast (-1: take the lowest reading of the capture's free-heap series)
     */
    public record Options(long graceNs, int warmup, long freeHeap) {
    }

    public record Marker(long timeNs, String text) {
    }

    private CycleAnalysis() {
    }

    public static CycleReport of(List<Marker> markers, List<LeakedBlock> leaks, long endNs, List<Trend> trends, Options options) {
        int n = markers.size();
        long[] starts = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = markers.get(i).timeNs();
        }
        long cutoff = endNs - options.graceNs();
        long[] bytes = new long[n];
        long[] blocks = new long[n];
        List<Map<Integer, long[]>> perSite = new ArrayList<>(); // per cycle: stack -> {bytes, blocks}
        for (int i = 0; i < n; i++) {
            perSite.add(new HashMap<>());
        }
        long[] before = new long[2];
        long[] late = new long[2];
        for (LeakedBlock b : leaks) {
            if (b.timeNs() > cutoff) {
                late[0]++;
                late[1] += b.size();
                continue;
            }
            int c = cycleOf(starts, b.timeNs());
            if (c < 0) { // before the first marker: start-up, say, which is no cycle's leak
                before[0]++;
                before[1] += b.size();
                continue;
            }
            bytes[c] += b.size();
            blocks[c]++;
            long[] s = perSite.get(c).computeIfAbsent(b.stack(), k -> new long[2]);
            s[0] += b.size();
            s[1]++;
        }
        List<CycleReport.Cycle> cycles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cycles.add(new CycleReport.Cycle(i, starts[i], i + 1 < n ? starts[i + 1] : endNs, markers.get(i).text(), blocks[i], bytes[i]));
        }
        int warmup = Math.min(options.warmup(), n);
        int steadyEnd = n - 1; // the last cycle is still open: its blocks may yet be freed
        int steady = Math.max(0, steadyEnd - warmup);
        long steadyBytes = -1;
        long steadyBlocks = -1;
        long min = -1;
        long max = -1;
        if (steady > 0) {
            long[] b = Arrays.copyOfRange(bytes, warmup, steadyEnd);
            long[] k = Arrays.copyOfRange(blocks, warmup, steadyEnd);
            Arrays.sort(b);
            Arrays.sort(k);
            steadyBytes = b[b.length / 2];
            steadyBlocks = k[k.length / 2];
            min = b[0];
            max = b[b.length - 1];
        }
        List<CycleReport.Site> sites = sites(perSite, warmup, steadyEnd);
        long freeHeap = options.freeHeap();
        String source = freeHeap >= 0 ? "--free-heap" : "";
        if (freeHeap < 0) {
            for (Trend t : trends) {
                if (freeHeap < 0 || t.lowest() < freeHeap) {
                    freeHeap = t.lowest();
                    source = "lowest reading of '" + t.label() + "'";
                }
            }
        }
        long left = freeHeap >= 0 && steadyBytes > 0 ? freeHeap / steadyBytes : -1;
        return new CycleReport(cycles, warmup, steadyBytes, steadyBlocks, min, max, steady, sites, freeHeap, source, left,
                new CycleReport.Outside(before[0], before[1]), new CycleReport.Outside(late[0], late[1]));
    }

    private static List<CycleReport.Site> sites(List<Map<Integer, long[]>> perSite, int warmup, int steadyEnd) {
        Map<Integer, long[]> totals = new LinkedHashMap<>();
        Map<Integer, List<Long>> steadyBytes = new HashMap<>();
        for (int c = 0; c < perSite.size(); c++) {
            for (Map.Entry<Integer, long[]> e : perSite.get(c).entrySet()) {
                long[] t = totals.computeIfAbsent(e.getKey(), k -> new long[3]);
                t[0] += e.getValue()[0];
                t[1] += e.getValue()[1];
                if (c >= warmup && c < steadyEnd) {
                    steadyBytes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()[0]);
                } else if (c < warmup) {
                    t[2]++;
                }
            }
        }
        int steady = Math.max(0, steadyEnd - warmup);
        List<CycleReport.Site> out = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : totals.entrySet()) {
            List<Long> s = steadyBytes.getOrDefault(e.getKey(), List.of());
            CycleReport.Pattern pattern = steady > 0 && s.size() >= Math.ceil(EVERY * steady) ? CycleReport.Pattern.EVERY_CYCLE
                    : s.isEmpty() && e.getValue()[2] > 0 ? CycleReport.Pattern.ONCE : CycleReport.Pattern.SOMETIMES;
            long[] all = new long[steady];
            for (int i = 0; i < s.size(); i++) {
                all[i] = s.get(i); // cycles in which it did not leak count as 0
            }
            Arrays.sort(all);
            long median = steady == 0 ? 0 : all[steady / 2];
            out.add(new CycleReport.Site(e.getKey(), pattern, s.size(), median, e.getValue()[0], e.getValue()[1]));
        }
        out.sort((a, b) -> a.pattern() != b.pattern() ? a.pattern().compareTo(b.pattern()) : Long.compare(b.totalBytes(), a.totalBytes()));
        return out;
    }

    /** Index of the last start at or before {@code t}, or -1. */
    private static int cycleOf(long[] starts, long t) {
        return Sorted.lastAtOrBefore(starts, t);
    }
}
