package heapscope.analysis;

import heapscope.trace.Condition;
import heapscope.trace.Recording;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leaks of two captures side by side, site by site: what a fix removed, what a change added. Sites are matched
 * by function and source file when both captures were symbolized (addresses and line numbers move between
 * builds), else by their call stack addresses (the same build).
 *
 * @param cycles the steady leak per cycle of each capture, with cycle markers; else null
 * @param before what makes BEFORE's figures partial or its names untrustworthy
 * @param after  the same of AFTER
 */
public record LeakDiff(List<Entry> entries, long beforeBytes, long afterBytes, long beforeBlocks, long afterBlocks,
                       Cycles cycles, Conditions before, Conditions after) {

    public enum Status { FIXED, NEW, GROWN, SHRUNK, SAME }

    /** One site in both captures (0 where it does not leak). */
    public record Entry(String key, String label, long beforeBytes, long beforeBlocks, long afterBytes, long afterBlocks, Status status) {
    }

    /** A leaking site as the diff sees it. */
    public record Item(String key, String label, long bytes, long blocks) {
    }

    /** A capture's {@link Recording#conditions()}, as every report puts them above its figures. */
    public record Conditions(List<Condition> list, boolean complete, boolean elfMatches) {
        static Conditions of(Recording r) {
            return new Conditions(List.copyOf(r.conditions()), r.complete(), r.elfMatches());
        }
    }

    /** A condition and the capture it is about: {@code before} or {@code after}. */
    public record Named(String capture, Condition condition) {
        /** Its line for the top of the diff, naming the capture. */
        public String headline() {
            return condition.headline(capture);
        }
    }

    /** Both captures' conditions, BEFORE's first, as every format of the diff says them above its figures. */
    public List<Named> conditions() {
        List<Named> out = new ArrayList<>();
        before.list().forEach(c -> out.add(new Named("before", c)));
        after.list().forEach(c -> out.add(new Named("after", c)));
        return out;
    }

    /**
     * The leak per cycle of work of both captures: a fix is proved per cycle, whatever the number of cycles each ran.
     *
     * @param marker the pattern that marked the cycles (--cycle)
     */
    public record Cycles(String marker, Steady before, Steady after) {
        /** Both captures have a steady figure. */
        public boolean measured() {
            return before.measured() && after.measured();
        }

        /** AFTER leaks more bytes per cycle than BEFORE. */
        public boolean grown() {
            return measured() && after.bytes() > before.bytes();
        }
    }

    /**
     * One capture's steady leak per cycle, from its {@link CycleReport}.
     *
     * @param marked       cycles marked
     * @param steadyCycles cycles the median is taken over (after warm-up, before the open last one)
     * @param bytes        median leaked bytes per steady cycle; -1 when there are none
     * @param blocks       median leaked blocks per steady cycle; -1 when there are none
     */
    public record Steady(int marked, int warmup, int steadyCycles, long bytes, long blocks) {
        static Steady of(CycleReport c) {
            return new Steady(c.cycles().size(), c.warmup(), c.steadyCycles(), c.steadyBytes(), c.steadyBlocks());
        }

        public boolean measured() {
            return bytes >= 0;
        }
    }

    /**
     * The diff of two captures' findings: by allocation site when both have a usable ELF (sites of one and call
     * stacks of the other never match), else by call stack; per cycle when both were read with cycle markers.
     *
     * @param marker the cycle marker both were read with (--cycle), or null
     */
    public static LeakDiff of(Findings before, Findings after, String marker) {
        LeakReport rb = before.report();
        LeakReport ra = after.report();
        LeakDiff diff = before.sites() == null || after.sites() == null ? of(items(rb), items(ra)) : of(items(before.sites()), items(after.sites()));
        Cycles cycles = marker == null || rb.cycles() == null || ra.cycles() == null ? null
                : new Cycles(marker, Steady.of(rb.cycles()), Steady.of(ra.cycles()));
        return new LeakDiff(diff.entries, diff.beforeBytes, diff.afterBytes, diff.beforeBlocks, diff.afterBlocks, cycles,
                Conditions.of(rb.recording()), Conditions.of(ra.recording()));
    }

    static LeakDiff of(List<Item> before, List<Item> after) {
        Map<String, long[]> sums = new LinkedHashMap<>(); // key -> before bytes, blocks, after bytes, blocks
        Map<String, String> labels = new LinkedHashMap<>();
        for (Item i : before) {
            long[] s = sums.computeIfAbsent(i.key(), k -> new long[4]);
            s[0] += i.bytes();
            s[1] += i.blocks();
            labels.putIfAbsent(i.key(), i.label());
        }
        for (Item i : after) {
            long[] s = sums.computeIfAbsent(i.key(), k -> new long[4]);
            s[2] += i.bytes();
            s[3] += i.blocks();
            labels.putIfAbsent(i.key(), i.label());
        }
        List<Entry> entries = new ArrayList<>();
        long bb = 0;
        long ab = 0;
        long bk = 0;
        long ak = 0;
        for (Map.Entry<String, long[]> e : sums.entrySet()) {
            long[] s = e.getValue();
            Status status = s[2] == 0 ? Status.FIXED : s[0] == 0 ? Status.NEW : s[2] > s[0] ? Status.GROWN
                    : s[2] < s[0] ? Status.SHRUNK : Status.SAME;
            entries.add(new Entry(e.getKey(), labels.get(e.getKey()), s[0], s[1], s[2], s[3], status));
            bb += s[0];
            bk += s[1];
            ab += s[2];
            ak += s[3];
        }
        entries.sort(Comparator.comparing(Entry::status).thenComparing(Comparator.comparingLong((Entry x) -> Math.abs(x.afterBytes() - x.beforeBytes())).reversed()));
        return new LeakDiff(List.copyOf(entries), bb, ab, bk, ak, null, null, null);
    }

    /** Items by allocation site: function and file name (not the line, which moves between builds). */
    static List<Item> items(SiteReport sites) {
        List<Item> out = new ArrayList<>();
        for (SiteReport.Site s : sites.sites()) {
            String file = s.file() == null ? "" : s.file().substring(s.file().replace('\\', '/').lastIndexOf('/') + 1);
            String key = s.function() == null ? String.format("0x%08x", s.address()) : s.function() + " @ " + file;
            String label = s.function() == null ? key : s.function() + (s.file() == null ? "" : " (" + file + ")");
            out.add(new Item(key, label, s.bytes(), s.blocks()));
        }
        return out;
    }

    /** Items by call stack, for captures of one build without an ELF. */
    static List<Item> items(LeakReport report) {
        List<Item> out = new ArrayList<>();
        for (LeakGroup g : report.groups()) {
            StringBuilder key = new StringBuilder();
            for (long pc : report.recording().stacks().frames(g.stack())) {
                key.append(key.isEmpty() ? "" : ":").append(String.format("0x%08x", pc));
            }
            out.add(new Item(key.toString(), key.isEmpty() ? "(no callers)" : key.toString(), g.bytes(), g.blocks()));
        }
        return out;
    }
}
