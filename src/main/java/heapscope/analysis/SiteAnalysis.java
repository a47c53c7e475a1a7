package heapscope.analysis;

import heapscope.chip.Region;
import heapscope.symbols.Frame;
import heapscope.trace.StackTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.HashSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups leaks by allocation site: walking each leak group's call stack from the innermost frame (inline frames
 * included), the first function that is not an allocator or allocation wrapper is where the leak was made. The
 * site's component comes from the link map when one is given, else from its source path, and known signatures
 * (rules) explain it.
 */
public final class SiteAnalysis {
    private static final Pattern MANAGED = Pattern.compile(".*/managed_components/([^/]+)/.*");
    private static final Pattern COMPONENT = Pattern.compile(".*/components/([^/]+)/.*");

    /** The site of the folded leak group: many stacks, many sites, counted together. */
    static final String FOLDED = "(other call stacks)";

    private SiteAnalysis() {
    }

    /**
     * @param frames source frames of a return address (innermost first), as the symbolizer gives them
     */
    public static SiteReport of(LeakReport report, LongFunction<List<Frame>> frames, SiteData data) {
        return of(report, frames, data, address -> null);
    }

    /**
     * @param library the library (link-map archive) of a return address's call, or null when not known
     */
    public static SiteReport of(LeakReport report, LongFunction<List<Frame>> frames, SiteData data, LongFunction<String> library) {
        StackTable stacks = report.recording().stacks();
        Map<Key, List<LeakGroup>> bySite = new LinkedHashMap<>();
        Map<Key, Set<String>> functionsOf = new LinkedHashMap<>(); // each name once: a site may hold 100,000 stacks
        Map<String, Boolean> allocators = new HashMap<>(); // the allocator list's patterns, run once per function name
        Predicate<String> allocator = function -> allocators.computeIfAbsent(function, data::allocator);
        Map<NamePattern, Map<String, Boolean>> matched = new HashMap<>(); // the same for the rules' patterns
        BiPredicate<NamePattern, String> match = (p, function) -> matched.computeIfAbsent(p, k -> new HashMap<>())
                .computeIfAbsent(function, p::matches);
        Map<Key, Set<Key>> recordedSites = new HashMap<>(); // site of the completed stack -> sites of the recorded ones
        Map<Key, Set<Key>> completedSites = new HashMap<>();
        for (LeakGroup g : report.groups()) {
            List<String> functions = new ArrayList<>();
            int depth = stacks.depth(g.stack());
            Key site = stacks.isOther(g.stack()) ? new Key(FOLDED, null, 0, StackTable.OTHER_FRAME)
                    : site(stacks, g.stack(), depth, frames, allocator, functions);
            if (stacks.inferred(g.stack()) > 0) {
                Key recorded = site(stacks, g.stack(), depth - stacks.inferred(g.stack()), frames, allocator, new ArrayList<>());
                recordedSites.computeIfAbsent(site, k -> new HashSet<>()).add(recorded);
                completedSites.computeIfAbsent(recorded, k -> new HashSet<>()).add(site);
            }
            bySite.computeIfAbsent(site, k -> new ArrayList<>()).add(g);
            functionsOf.computeIfAbsent(site, k -> new LinkedHashSet<>()).addAll(functions);
        }
        List<SiteReport.Site> sites = new ArrayList<>();
        long totalBytes = 0;
        long totalBlocks = 0;
        for (Map.Entry<Key, List<LeakGroup>> e : bySite.entrySet()) {
            Key k = e.getKey();
            long blocks = 0;
            long bytes = 0;
            TreeMap<Long, Long> sizes = new TreeMap<>();
            TreeMap<Region, Long> regions = new TreeMap<>();
            List<Integer> ids = new ArrayList<>();
            for (LeakGroup g : e.getValue()) {
                blocks += g.blocks();
                bytes += g.bytes();
                g.sizes().forEach((size, n) -> sizes.merge(size, n, Long::sum));
                g.regions().forEach((region, n) -> regions.merge(region, n, Long::sum));
                ids.add(g.stack());
            }
            LeakRule rule = null;
            for (LeakRule r : data.rules()) {
                if (r.matches(functionsOf.get(k), sizes.lastKey(), match)) {
                    rule = r;
                    break;
                }
            }
            String fromMap = library.apply(k.address());
            sites.add(new SiteReport.Site(k.function(), k.file(), k.line(), k.address(), fromMap != null ? fromMap : component(k.file()), blocks, bytes,
                    sizes, regions, List.copyOf(ids), rule));
            totalBytes += bytes;
            totalBlocks += blocks;
        }
        sites.sort(Comparator.comparingLong(SiteReport.Site::bytes).reversed().thenComparing(Comparator.comparingLong(SiteReport.Site::blocks).reversed()));
        int split = (int) completedSites.values().stream().filter(v -> v.size() > 1).count();
        int merged = (int) recordedSites.values().stream().filter(v -> v.size() > 1).count();
        return new SiteReport(List.copyOf(sites), totalBytes, totalBlocks, split, merged);
    }

    private record Key(String function, String file, int line, long address) {
    }

    /** The site of a stack's innermost DEPTH frames: the first frame outside the allocator; FUNCTIONS gets every name. */
    private static Key site(StackTable stacks, int stack, int depth, LongFunction<List<Frame>> frames, Predicate<String> allocator,
                            List<String> functions) {
        Key site = null;
        for (int k = 0; k < depth; k++) {
            long address = stacks.frame(stack, k);
            List<Frame> resolved = frames.apply(address);
            if (resolved.isEmpty() && site == null) {
                site = new Key(null, null, 0, address); // unknown code: it is the best site we can name
            }
            for (Frame f : resolved) {
                functions.add(f.function());
                if (site == null && f.function() != null && !allocator.test(f.function())) {
                    site = new Key(f.function(), f.file(), f.line(), address);
                }
            }
        }
        return site != null ? site : new Key(null, null, 0, depth > 0 ? stacks.frame(stack, 0) : 0);
    }

    /**
     * The component a source file belongs to: {@code managed_components/<name>/}, the last {@code components/<name>/}
     * of the path (ESP-IDF's or the project's), the app's {@code main/}, or the toolchain library.
     */
    static String component(String file) {
        if (file == null) {
            return "?";
        }
        String f = file.replace('\\', '/');
        Matcher m = MANAGED.matcher(f);
        if (m.matches()) {
            return m.group(1);
        }
        m = COMPONENT.matcher(f);
        if (m.matches()) {
            return m.group(1);
        }
        if (f.contains("/libstdc++") || f.contains("/c++/")) {
            return "libstdc++";
        }
        if (f.contains("/newlib/")) {
            return "newlib";
        }
        if (f.contains("/libgcc/")) {
            return "libgcc";
        }
        if (f.contains("/main/")) {
            return "main";
        }
        return "?";
    }
}
