package heapscope.coredump.heap;

import heapscope.symbols.Frame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * The live records of a heap trace grouped by where each block was made: the first caller, inline frames included,
 * that is not the allocator or a wrapper of it.
 */
public final class TraceSites {
    /** How many functions that called a site are kept with it. */
    public static final int CALLERS = 3;

    private TraceSites() {
    }

    /**
     * One site and what is alive from it.
     *
     * @param site    its frame; null when no caller could be named (then {@code first} is the innermost return address)
     * @param callers the names of up to {@link #CALLERS} functions that called it, outermost last
     * @param first   the first recorded return address, 0 for a record without callers
     */
    public record Site(Frame site, List<String> callers, long first, long bytes, long blocks) {
        public Site {
            callers = List.copyOf(callers);
        }

        /** "f at file:line, from g <- h", as the reports print it (not escaped). */
        public String describe() {
            if (site == null) {
                return first == 0 ? "(no callers recorded)" : String.format("0x%08x", first);
            }
            String at = site.function() + (site.file() == null ? "" : " at " + site.file() + ":" + site.line());
            return callers.isEmpty() ? at : at + ", from " + String.join(" <- ", callers);
        }
    }

    /** Where one record's block was made. */
    public static Site of(TraceRecord r, LongFunction<List<Frame>> callerFrames, Predicate<String> allocator) {
        Frame site = null;
        List<String> from = new ArrayList<>();
        for (long pc : r.allocedBy()) {
            for (Frame f : callerFrames.apply(pc)) {
                if (site != null && from.size() < CALLERS) {
                    from.add(f.function() == null ? String.format("0x%08x", pc) : f.function());
                } else if (site == null && f.function() != null && !allocator.test(f.function())) {
                    site = f;
                }
            }
        }
        return new Site(site, site == null ? List.of() : from, r.allocedBy().length == 0 ? 0 : r.allocedBy()[0], r.size(), 1);
    }

    /** The records alive at the crash by site, the most bytes first. */
    public static List<Site> alive(HeapTrace.Read trace, LongFunction<List<Frame>> callerFrames, Predicate<String> allocator) {
        Map<Site, long[]> bySite = new LinkedHashMap<>(); // keyed with bytes and blocks zeroed
        for (TraceRecord r : trace.records()) {
            if (!r.freed()) {
                Site s = of(r, callerFrames, allocator);
                long[] v = bySite.computeIfAbsent(new Site(s.site(), s.callers(), s.site() == null ? s.first() : 0, 0, 0), k -> new long[2]);
                v[0] += r.size();
                v[1]++;
            }
        }
        List<Site> out = new ArrayList<>();
        bySite.forEach((k, v) -> out.add(new Site(k.site(), k.callers(), k.first(), v[0], v[1])));
        out.sort(Comparator.comparingLong(Site::bytes).reversed());
        return out;
    }
}
