package heapscope.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leaks of two captures side by side, site by site: what a fix removed, what a change added. Sites are matched
 * by function and source file when both captures were symbolized (addresses and line numbers move between
 * builds), else by their call stack addresses (the same build).
 */
public record LeakDiff(List<Entry> entries, long beforeBytes, long afterBytes, long beforeBlocks, long afterBlocks) {

    public enum Status { FIXED, NEW, GROWN, SHRUNK, SAME }

    /** One site in both captures (0 where it does not leak). */
    public record Entry(String key, String label, long beforeBytes, long beforeBlocks, long afterBytes, long afterBlocks, Status status) {
    }

    /** A leaking site as the diff sees it. */
    public record Item(String key, String label, long bytes, long blocks) {
    }

    public static LeakDiff of(List<Item> before, List<Item> after) {
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
        return new LeakDiff(List.copyOf(entries), bb, ab, bk, ak);
    }

    /** Items by allocation site: function and file name (not the line, which moves between builds). */
    public static List<Item> items(SiteReport sites) {
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
    public static List<Item> items(LeakReport report) {
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
