package heapscope.report;

import heapscope.analysis.CycleReport;
import heapscope.analysis.Diagnostics;
import heapscope.analysis.LeakRule;
import heapscope.analysis.SiteReport;
import heapscope.analysis.Incidents;
import heapscope.analysis.SnapshotInfo;
import heapscope.analysis.Trend;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.chip.Region;
import heapscope.trace.Condition;
import heapscope.trace.ContextTable;
import heapscope.trace.Crash;
import heapscope.trace.Recording;
import heapscope.trace.StackTable;
import heapscope.trace.Warning;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The leak report for a terminal or a text file: summary, leaks grouped by call stack, diagnostics. */
public final class TextReport {
    /** @param top    groups to show in full (0 = all)
     *  @param blocks also list every leaked block, one line each, as ESP-IDF's tool prints them */
    /** @param suppressed leak groups (by stack id) the user accepted, with the pattern that did it */
    public record Options(int top, boolean blocks, Style style, FrameRenderer frames, SiteReport sites, Map<Integer, String> suppressed) {
        public Options(int top, boolean blocks, Style style, FrameRenderer frames) {
            this(top, blocks, style, frames, null, Map.of());
        }
    }

    private static final int EXAMPLES = 5;
    private static final int WARNINGS = 20;

    private final LeakReport report;
    private final Options options;
    private final Style s;
    private final ContextTable contexts;
    private final StackTable stacks;
    private Map<Integer, Integer> ranks;

    public TextReport(LeakReport report, Options options) {
        this.report = report;
        this.options = options;
        this.s = options.style();
        this.contexts = report.recording().contexts();
        this.stacks = report.recording().stacks();
    }

    public void write(PrintWriter out) {
        header(out);
        summary(out);
        snapshots(out);
        cycles(out);
        sites(out);
        groups(out);
        if (options.blocks()) {
            blocks(out);
        }
        incidents(out);
        diagnostics(out);
        out.flush();
    }

    private void snapshots(PrintWriter out) {
        List<SnapshotInfo> list = report.snapshots();
        if (list.isEmpty()) {
            return;
        }
        out.println(s.bold("Heap listings") + " (the leaks below are the blocks alive in the last one)");
        out.printf("  %4s  %8s  %-24s  %12s  %12s  %s%n", "#", "line", "kind", "alive blocks", "alive bytes", "also in the previous listing");
        for (SnapshotInfo info : list) {
            String declared = info.declared().aliveBlocks() >= 0 && info.declared().aliveBlocks() != info.aliveBlocks()
                    ? "  (the listing says " + info.declared().aliveBlocks() + ")" : "";
            out.printf("  %4d  %8d  %-24s  %12s  %12s  %s%s%n", info.index() + 1, info.line(), clip(info.kind(), 24), Units.count(info.aliveBlocks()),
                    Units.count(info.aliveBytes()), info.index() == 0 ? "-" : Units.count(info.carried()), declared);
        }
        out.println();
    }

    private void sites(PrintWriter out) {
        SiteReport sites = options.sites();
        if (sites == null || sites.sites().isEmpty()) {
            return;
        }
        out.println(s.bold("Leak breakdown by allocation site") + " (first frame outside the allocator)");
        completion(out, sites);
        out.printf("  %-12s %7s %10s %7s  %-8s %-16s %s%n", "size", "count", "total", "share", "region", "component", "source");
        int shown = options.top() <= 0 ? sites.sites().size() : Math.min(options.top(), sites.sites().size());
        for (int i = 0; i < shown; i++) {
            SiteReport.Site site = sites.sites().get(i);
            long min = site.sizes().firstKey();
            long max = site.sizes().lastKey();
            out.printf(Locale.ROOT, "  %-12s %7d %10s %6.1f%%  %-8s %-16s [%d] %s%n", min == max ? min + " B" : min + ".." + max + " B",
                    site.blocks(), Units.count(site.bytes()), 100.0 * site.bytes() / Math.max(1, sites.totalBytes()),
                    clip(String.join(",", site.regions().keySet().stream().map(r -> r.label()).toList()), 8), clip(Escape.terminal(site.component()), 16),
                    i + 1, Escape.terminal(source(site)));
        }
        if (shown < sites.sites().size()) {
            out.println("  ... " + (sites.sites().size() - shown) + " more sites (--top 0 shows all)");
        }
        out.printf("  %-12s %7d %10s %6.1f%%%n", "TOTAL", sites.totalBlocks(), Units.count(sites.totalBytes()), 100.0);
        out.println();
        for (int i = 0; i < shown; i++) {
            SiteReport.Site site = sites.sites().get(i);
            out.println(s.bold("[" + (i + 1) + "]") + " " + Escape.terminal(source(site)) + "  (" + Escape.terminal(site.component()) + ")");
            if (site.rule() != null) {
                LeakRule r = site.rule();
                out.println("    " + (r.expected() ? s.yellow("known, usually not a leak: ") : s.red("known leak: ")) + Escape.terminal(r.title()));
                if (!r.explain().isEmpty()) {
                    out.println("    why: " + Escape.terminal(r.explain()));
                }
                if (!r.fix().isEmpty()) {
                    out.println("    fix: " + Escape.terminal(r.fix()));
                }
            }
            out.println("    call stack" + (site.stacks().size() > 1 ? " (1 of " + site.stacks().size() + ")" : "") + ":");
            stack(out, site.stacks().get(0), "      ");
            out.println();
        }
    }

    private static String source(SiteReport.Site site) {
        if (site.function() == null) {
            return Units.hex(site.address()) + " (no symbol)";
        }
        return site.function() + (site.file() == null ? "" : " at " + site.file() + ":" + site.line());
    }

    private void cycles(PrintWriter out) {
        CycleReport c = report.cycles();
        if (c == null) {
            return;
        }
        out.println(s.bold("Cycles") + " (" + c.cycles().size() + " marked)");
        if (c.cycles().isEmpty()) {
            out.println("  no line matched the --cycle pattern");
            out.println();
            return;
        }
        if (c.steadyBytes() >= 0) {
            out.println("  " + s.red("Steady leak: " + Units.count(c.steadyBytes()) + " bytes per cycle (" + Units.blocks(c.steadyBlocks()) + ")")
                    + ", median of " + c.steadyCycles() + " cycles after " + c.warmup() + " warm-up; range "
                    + Units.count(c.minBytes()) + " .. " + Units.count(c.maxBytes()) + " bytes");
        } else {
            out.println("  too few cycles for a steady figure (need warm-up + one complete cycle + the open last one)");
        }
        if (c.cyclesLeft() >= 0) {
            out.println("  At that rate " + Units.bytes(c.freeHeap()) + " of free heap (" + Escape.terminal(c.freeHeapSource()) + ") lasts about "
                    + Units.count(c.cyclesLeft()) + " more cycles.");
        }
        out.printf("  %5s  %12s  %8s  %10s  %s%n", "cycle", "start", "blocks", "bytes", "marker");
        outsideRow(out, c.before(), Units.seconds(0), "(before the first marker)");
        int shown = 0;
        for (CycleReport.Cycle cycle : c.cycles()) {
            if (shown++ == 30) {
                out.println("  ... " + (c.cycles().size() - 30) + " more cycles (--format json lists them)");
                break;
            }
            String note = cycle.index() < c.warmup() ? "  (warm-up)" : cycle.index() == c.cycles().size() - 1 ? "  (open)" : "";
            out.printf("  %5d  %12s  %8d  %10s  %s%s%n", cycle.index() + 1, Units.seconds(cycle.startNs()), cycle.leakedBlocks(),
                    Units.count(cycle.leakedBytes()), clip(Escape.terminal(cycle.marker()), 40), note);
        }
        outsideRow(out, c.grace(), "", "(in the last --grace: may yet be freed)");
        out.println("  Leaking call stacks:");
        for (CycleReport.Site site : c.sites()) {
            int rank = rankOf(site.stack());
            String kind = switch (site.pattern()) {
                case EVERY_CYCLE -> "every cycle, " + Units.count(site.bytesPerCycle()) + " B/cycle";
                case ONCE -> "once (warm-up only)";
                case SOMETIMES -> "in " + site.cyclesLeaking() + " of " + c.steadyCycles() + " cycles";
            };
            out.printf("    %-6s %-36s %10s in %s%n", rank > 0 ? "#" + rank : "-", kind, Units.count(site.totalBytes()), Units.blocks(site.totalBlocks()));
        }
        out.println();
    }

    /** Rank of a stack among the leak groups (1-based), 0 if absent. */
    private int rankOf(int stack) {
        if (ranks == null) { // made once: every cycle site looks its stack up
            ranks = new HashMap<>();
            for (int i = 0; i < report.groups().size(); i++) {
                ranks.putIfAbsent(report.groups().get(i).stack(), i + 1);
            }
        }
        return ranks.getOrDefault(stack, 0);
    }

    private void incidents(PrintWriter out) {
        Incidents inc = report.incidents();
        if (inc.corruptionCount() > 0) {
            out.println(s.red("Heap corruption") + " (" + inc.corruptionCount() + (inc.corruptionCount() == 1 ? " report)" : " reports)"));
            for (Incidents.MatchedCorruption m : inc.corruptions()) {
                out.println("  line " + m.report().line() + ": " + Escape.terminal(m.report().text()));
                LeakedBlock b = m.block();
                if (b == null) {
                    out.println("    no traced block at " + Units.hex(m.report().address()) + " (trace the heap to see who allocated it)");
                } else {
                    out.println("    in the block at " + Units.hex(b.address()) + " (" + b.size() + " bytes), allocated by:");
                    stack(out, b.stack(), "      ");
                }
            }
            out.println();
        }
        if (inc.crashCount() > 0) {
            out.println(s.red("Crashes") + " (" + inc.crashCount() + ")");
            for (Crash c : inc.crashes()) {
                out.println("  line " + c.line() + ": " + Escape.terminal(c.reason()));
                for (long pc : c.backtrace()) {
                    for (String l : options.frames().pcLines(pc)) {
                        out.println("      " + Escape.terminal(l));
                    }
                }
                if (c.truncated()) {
                    out.println("      ...");
                }
            }
            out.println();
        }
        if (inc.sampleCount() > 0) {
            out.println(s.bold("Free heap") + " (" + DiagnosticLines.readings(inc.sampleCount()) + "; trend of the low-water marks)");
            for (Trend t : report.trends()) {
                out.printf("  %-28s %14s  first %s  last %s  lowest %s  %s%n", clip(Escape.terminal(t.label()), 28),
                        DiagnosticLines.readings(t.samples()), Units.bytes(t.firstFree()), Units.bytes(t.lastFree()),
                        Units.bytes(t.lowest()), verdict(t));
                if (!Double.isNaN(t.fragmentation()) && t.fragmentationDrop() > 0.2) {
                    out.println(s.yellow("    fragmenting: the largest free block fell from "
                            + Math.round((t.fragmentation() + t.fragmentationDrop()) * 100) + " % to " + Math.round(t.fragmentation() * 100) + " % of free heap"));
                }
            }
            out.println();
        }
    }

    private String verdict(Trend t) {
        String v = DiagnosticLines.trendVerdict(t);
        return switch (t.verdict()) {
            case LEAK -> s.red(v);
            case STABLE -> s.green(v);
            default -> v;
        };
    }

    private void header(PrintWriter out) {
        Recording rec = report.recording();
        LeakReport.Counts c = report.counts();
        out.println(s.bold("heapscope leak report"));
        out.println("  input    " + Escape.terminal(String.join(", ", rec.sources())) + "  (" + rec.format() + ")");
        StringJoiner target = new StringJoiner(", ");
        target.add(report.chip() != null ? report.chip().idfName() : "chip unknown (give --chip for memory regions)");
        target.add(DiagnosticLines.cores(rec));
        if (rec.cpuFrequencyHz() > 0) {
            target.add("CPU " + rec.cpuFrequencyHz() / 1_000_000 + " MHz");
        }
        out.println("  target   " + Escape.terminal(target.toString()));
        out.println("  capture  " + Units.seconds(c.lastNs() - c.firstNs()) + ", " + DiagnosticLines.heapSummary(c) + ", "
                + Units.count(c.logMessages()) + " log messages");
        out.println();
    }

    private void summary(PrintWriter out) {
        long bytes = report.leakedBytes();
        long blocks = report.leakedBlocks();
        for (Condition c : report.recording().conditions()) { // before the figures they qualify
            out.println(s.yellow(Escape.terminal(c.headline())));
        }
        if (report.counts().heapEvents() == 0) {
            out.println("No allocations in this capture: nothing to say about leaks (see below for what it does hold).");
        } else if (blocks == 0) {
            out.println(s.green("No leaks: every block allocated in the capture was freed."));
        } else {
            out.println(s.red("Found " + bytes + " leaked bytes in " + blocks + " blocks.") + "  ("
                    + Units.bytes(bytes) + " from " + report.groups().size() + " call " + (report.groups().size() == 1 ? "stack" : "stacks") + ")");
            if (!options.suppressed().isEmpty()) {
                long sb = 0;
                long sk = 0;
                for (LeakGroup g : report.groups()) {
                    if (options.suppressed().containsKey(g.stack())) {
                        sb += g.bytes();
                        sk += g.blocks();
                    }
                }
                out.println("  of which " + sb + " bytes in " + Units.blocks(sk) + " suppressed (" + options.suppressed().size() + " call stacks, --suppress)");
            }
            Map<Region, Long> regionBlocks = report.regionBlocks();
            for (Map.Entry<Region, Long> r : report.regions().entrySet()) {
                long n = regionBlocks.getOrDefault(r.getKey(), 0L);
                out.printf("  %-12s %10s in %d blocks%s%n", r.getKey().label(), Units.bytes(r.getValue()), n,
                        r.getKey() == Region.UNKNOWN || r.getKey() == Region.INTERNAL ? "" : r.getKey().internal() ? "  (internal RAM)" : "");
            }
            withoutCallers(out);
        }
        if (report.counts().heapEvents() > 0) {
            out.println("  \"Leaked\" means allocated during the capture and not freed by its end: long-lived buffers count too.");
        }
        out.println();
    }

    /** A row of the cycle table for leaked blocks in no cycle, if there are any. */
    private static void outsideRow(PrintWriter out, CycleReport.Outside o, String start, String note) {
        if (o.leakedBlocks() > 0) {
            out.printf("  %5s  %12s  %8d  %10s  %s%n", "-", start, o.leakedBlocks(), Units.count(o.leakedBytes()), note);
        }
    }

    private void groups(PrintWriter out) {
        List<LeakGroup> groups = report.groups();
        if (groups.isEmpty()) {
            return;
        }
        int shown = options.top() <= 0 ? groups.size() : Math.min(options.top(), groups.size());
        out.println(s.bold("Leaks by call stack") + " (largest total first)");
        out.printf("  %4s  %10s  %6s  %-14s  %-24s  %-5s  %s%n", "#", "bytes", "blocks", "sizes", "allocated by", "core", "when");
        for (int i = 0; i < shown; i++) {
            LeakGroup g = groups.get(i);
            out.printf("  %4d  %10s  %6d  %-14s  %-24s  %-5s  %s%n", i + 1, Units.count(g.bytes()), g.blocks(), sizes(g),
                    clip(contextsOf(g), 24), cores(g), Units.seconds(g.firstNs()) + (g.lastNs() != g.firstNs() ? " .. " + Units.seconds(g.lastNs()) : ""));
        }
        if (shown < groups.size()) {
            out.println("  ... " + (groups.size() - shown) + " smaller groups not shown (--top 0 shows all)");
        }
        out.println();
        for (int i = 0; i < shown; i++) {
            LeakGroup g = groups.get(i);
            if (g.perSnapshot().size() > 1) {
                StringJoiner trend = new StringJoiner(" -> ");
                g.perSnapshot().forEach(n -> trend.add(Long.toString(n)));
                out.println(s.bold("#" + (i + 1)) + "  blocks alive per heap listing: " + trend);
            }
            StringJoiner where = new StringJoiner(", ");
            g.regions().forEach((region, bytes) -> where.add(region.label()));
            String suppressedBy = options.suppressed().get(g.stack());
            out.println(s.bold("#" + (i + 1)) + "  " + Units.bytes(g.bytes()) + " in " + Units.blocks(g.blocks())
                    + "  [" + where + "]  " + contextsOf(g) + growth(g)
                    + (suppressedBy == null ? "" : "  " + s.dim("suppressed by leak:" + Escape.terminal(suppressedBy))));
            stack(out, g.stack(), "      ");
            out.println();
        }
    }

    private String growth(LeakGroup g) {
        return switch (g.growth().kind()) {
            case GROWING -> "  " + s.red(String.format(Locale.ROOT, "growing %.0f B/min", g.growth().bytesPerMinute()));
            case ONE_TIME -> "  one-time (start-up)";
            case PLATEAU -> "  plateau (stopped growing: a cache?)";
            case UNKNOWN -> "";
        };
    }

    /**
     * When no leak has a caller (RISC-V without frame pointers, or a stack depth of 0): says so, names the Kconfig
     * options that fix it, and attributes the leaks by size, task and region instead.
     */
    private void withoutCallers(PrintWriter out) {
        for (LeakGroup g : report.groups()) {
            if (stacks.depth(g.stack()) > 0) {
                return;
            }
        }
        out.println(s.yellow("  No call stacks in this capture (" + Escape.terminal(report.recording().noCallersReason()) + ")."));
        out.println("  Set CONFIG_HEAP_TRACING_STACK_DEPTH (2 or more); on RISC-V chips (ESP32-C3, -C6, -H2, -P4, ...) it also needs "
                + "CONFIG_ESP_SYSTEM_USE_FRAME_POINTER=y.");
        out.println("  Attributed by size, task and region instead" + (report.cycles() != null ? " (and by cycle, below)" : "") + ":");
        record Key(long size, String task, String region) {
        }
        Map<Key, long[]> by = new LinkedHashMap<>();
        for (LeakedBlock b : report.leaks()) {
            Key k = new Key(b.size(), contexts.get(b.context()).describe(), b.region() == null ? "?" : b.region().label());
            long[] v = by.computeIfAbsent(k, x -> new long[2]);
            v[0]++;
            v[1] += b.size();
        }
        List<Map.Entry<Key, long[]>> rows = new ArrayList<>(by.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        out.printf("    %-10s %7s %10s  %-10s %s%n", "size", "count", "total", "region", "task");
        int shown = options.top() <= 0 ? rows.size() : Math.min(options.top(), rows.size());
        for (Map.Entry<Key, long[]> r : rows.subList(0, shown)) {
            out.printf("    %-10s %7s %10s  %-10s %s%n", r.getKey().size() + " B", Units.count(r.getValue()[0]), Units.count(r.getValue()[1]),
                    r.getKey().region(), Escape.terminal(r.getKey().task()));
        }
        if (shown < rows.size()) {
            out.println("    " + (rows.size() - shown) + " smaller rows not shown (--top 0 for all)");
        }
    }

    /** What completing the stacks from the call graph did, when it did anything. */
    private void completion(PrintWriter out, SiteReport sites) {
        int completed = 0;
        int candidates = 0;
        for (LeakGroup g : report.groups()) {
            completed += stacks.inferred(g.stack()) > 0 ? 1 : 0;
            candidates += stacks.candidates(g.stack()).length > 0 ? 1 : 0;
        }
        if (completed + candidates > 0) {
            out.println("  " + s.dim(completed + " call stacks extended from the firmware's call graph (frames marked ~), " + candidates
                    + " ending in 2-5 candidate callers; completion split " + sites.splitByCompletion() + " and merged "
                    + sites.mergedByCompletion() + " sites (--no-complete: as recorded)"));
        }
    }

    private void stack(PrintWriter out, int stack, String indent) {
        int depth = stacks.depth(stack);
        if (depth == 0) {
            out.println(indent + s.dim("(no callers recorded: " + Escape.terminal(report.recording().noCallersReason()) + ")"));
        }
        int recorded = depth - stacks.inferred(stack);
        for (int k = 0; k < depth; k++) {
            // a frame inferred from the call graph, not recorded, is marked ~ in the indent's last column
            String at = k < recorded ? indent : indent.substring(1) + s.dim("~");
            for (String line : options.frames().lines(stacks.frame(stack, k))) {
                out.println(at + Escape.terminal(line));
            }
        }
        long[] candidates = stacks.candidates(stack);
        if (candidates.length > 0) {
            out.println(indent + s.dim("~ called from one of:"));
            for (long c : candidates) {
                for (String line : options.frames().lines(c)) {
                    out.println(indent + "  " + Escape.terminal(line));
                }
            }
        }
    }

    private void blocks(PrintWriter out) {
        out.println(s.bold("Leaked blocks") + " (allocation order)");
        for (LeakedBlock b : report.leaks()) {
            out.println("[" + Units.seconds9(b.timeNs()) + "] HEAP: Allocated " + b.size() + " bytes @ 0x" + Long.toHexString(b.address())
                    + " from " + Escape.terminal(contexts.get(b.context()).describe()) + " on core " + b.core() + " by: " + callers(b.stack()));
        }
        out.println();
    }

    private void diagnostics(PrintWriter out) {
        Diagnostics d = report.diagnostics();
        List<Warning> warnings = report.recording().warnings();
        boolean any = d.unmatchedFrees() + d.duplicateAllocs() + d.freesInsideBlocks() + d.failedAllocs() + d.nullFrees() + d.overflows()
                + d.reorderedPairs() > 0 || !warnings.isEmpty();
        if (!any) {
            return;
        }
        out.println(s.bold("Trace diagnostics"));
        if (d.freesInsideBlocks() > 0) {
            out.println(s.yellow("  " + DiagnosticLines.freesInsideBlocks(d)));
            for (var e : first(d.freeInsideBlockExamples())) {
                out.println("    [" + Units.seconds9(e.timeNs()) + "] free " + Units.hex(e.address()) + " inside block " + Units.hex(e.blockAddress())
                        + " (" + e.blockSize() + " bytes) from " + Escape.terminal(contexts.get(e.context()).describe()) + " by: " + callers(e.stack()));
            }
        }
        if (d.duplicateAllocs() > 0) {
            out.println(s.yellow("  " + DiagnosticLines.duplicateAllocs(d)));
            for (var e : first(d.duplicateAllocExamples())) {
                out.println("    [" + Units.seconds9(e.timeNs()) + "] " + Units.hex(e.address()) + " allocated again; earlier block of "
                        + e.previousSize() + " bytes from " + Units.seconds9(e.previousTimeNs()) + " treated as freed");
            }
        }
        if (d.unmatchedFrees() > 0) {
            out.println("  " + DiagnosticLines.unmatchedFrees(d));
            for (var e : first(d.unmatchedFreeExamples())) {
                out.println("    [" + Units.seconds9(e.timeNs()) + "] free " + Units.hex(e.address()) + " from "
                        + Escape.terminal(contexts.get(e.context()).describe()) + " by: " + callers(e.stack()));
            }
        }
        if (d.failedAllocs() > 0) {
            out.println(s.yellow("  " + DiagnosticLines.failedAllocs(d)));
            for (var e : first(d.failedAllocExamples())) {
                out.println("    [" + Units.seconds9(e.timeNs()) + "] " + e.size() + " bytes from "
                        + Escape.terminal(contexts.get(e.context()).describe()) + " by: " + callers(e.stack()));
            }
        }
        if (d.nullFrees() > 0) {
            out.println("  " + DiagnosticLines.nullFrees(d));
        }
        if (d.reorderedPairs() > 0) {
            out.println("  " + DiagnosticLines.reorderedPairs(d));
        }
        int n = Math.min(WARNINGS, warnings.size());
        for (int i = 0; i < n; i++) {
            out.println(s.yellow("  warning: ") + Escape.terminal(warnings.get(i).format()));
        }
        long more = warnings.size() - n + report.recording().suppressedWarnings();
        if (more > 0) {
            out.println("  ... " + more + " more warnings (--format json lists them)");
        }
        out.println();
    }

    private static <T> List<T> first(List<T> examples) {
        return examples.subList(0, Math.min(EXAMPLES, examples.size()));
    }

    private String callers(int stack) {
        StringJoiner j = new StringJoiner(":");
        for (int k = 0; k < stacks.depth(stack); k++) {
            j.add("0x" + Long.toHexString(stacks.frame(stack, k)));
        }
        return j.toString();
    }

    private String contextsOf(LeakGroup g) {
        List<String> names = new ArrayList<>();
        for (int id : g.contexts()) {
            names.add(contexts.get(id).describe());
        }
        return Escape.terminal(String.join(", ", names));
    }

    private static String sizes(LeakGroup g) {
        long min = g.sizes().firstKey();
        long max = g.sizes().lastKey();
        return min == max ? min + " B" : min + ".." + max + " B";
    }

    private static String cores(LeakGroup g) {
        StringJoiner j = new StringJoiner(",");
        g.cores().forEach(c -> j.add(Integer.toString(c)));
        return j.toString();
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }
}
