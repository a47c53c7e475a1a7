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
import heapscope.analysis.PeakReport;
import heapscope.chip.Region;
import heapscope.coredump.heap.CrashHeap;
import heapscope.symbols.FrameTable;
import heapscope.trace.Condition;
import heapscope.trace.Context;
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
    public record Options(int top, boolean blocks, Style style, FrameRenderer frames, SiteReport sites, Map<Integer, String> suppressed,
                          Map<Long, CrashHeap> crashHeaps) {
        public Options(int top, boolean blocks, Style style, FrameRenderer frames) {
            this(top, blocks, style, frames, null, Map.of(), Map.of());
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
    private AllocatorCallers allocatorCallers;

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
        held(out);
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
        out.println(s.bold("Leak breakdown by allocation site") + " (first frame outside the allocator; #: its call stacks, below)");
        completion(out, sites);
        out.printf("  %-12s %7s %10s %7s  %-8s %-16s %-8s %s%n", "size", "count", "total", "share", "region", "component", "#", "source");
        int shown = options.top() <= 0 ? sites.sites().size() : Math.min(options.top(), sites.sites().size());
        for (int i = 0; i < shown; i++) {
            SiteReport.Site site = sites.sites().get(i);
            long min = site.sizes().firstKey();
            long max = site.sizes().lastKey();
            out.printf(Locale.ROOT, "  %-12s %7d %10s %6.1f%%  %-8s %-16s %-8s %s%n", min == max ? min + " B" : min + ".." + max + " B",
                    site.blocks(), Units.count(site.bytes()), 100.0 * site.bytes() / Math.max(1, sites.totalBytes()),
                    clip(String.join(",", site.regions().keySet().stream().map(r -> r.label()).toList()), 8), clip(Escape.terminal(site.component()), 16),
                    ranks(site), Escape.terminal(source(site)));
        }
        if (shown < sites.sites().size()) {
            out.println("  ... " + (sites.sites().size() - shown) + " more sites (--top 0 shows all)");
        }
        out.printf(Locale.ROOT, "  %-12s %7d %10s %6.1f%%%n", "TOTAL", sites.totalBlocks(), Units.count(sites.totalBytes()), 100.0);
        out.println();
    }

    /** The numbers of a site's call stacks in the listing below: {@code #2}, {@code #2,#9}, {@code #2,#9,+3}. */
    private String ranks(SiteReport.Site site) {
        List<Integer> ranks = site.stacks().stream().map(this::rankOf).filter(r -> r > 0).sorted().toList();
        StringJoiner j = new StringJoiner(",");
        ranks.stream().limit(2).forEach(r -> j.add("#" + r));
        return ranks.size() > 2 ? j + ",+" + (ranks.size() - 2) : j.toString();
    }

    /** A site's known leak pattern; its explanation once, at the first call stack it is found in. */
    private void rule(PrintWriter out, LeakRule r, Map<LeakRule, Integer> explained, int rank) {
        Integer first = explained.putIfAbsent(r, rank);
        out.println("    " + (r.expected() ? s.yellow("known, usually not a leak: ") : s.red("known leak: ")) + Escape.terminal(r.title())
                + (first != null && !(r.explain().isEmpty() && r.fix().isEmpty()) ? s.dim("  (why and fix: #" + first + ")") : ""));
        if (first == null && !r.explain().isEmpty()) {
            out.println("    why: " + Escape.terminal(r.explain()));
        }
        if (first == null && !r.fix().isEmpty()) {
            out.println("    fix: " + Escape.terminal(r.fix()));
        }
    }

    private String source(SiteReport.Site site) {
        if (site.function() == null) {
            return Units.hex(site.address()) + (options.frames().names() == FrameTable.Names.LOG ? " (not named in the log)" : " (no symbol)");
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
            out.println(s.red("Memory errors") + " (" + inc.corruptionCount() + (inc.corruptionCount() == 1 ? " report)" : " reports)"));
            for (Incidents.MatchedCorruption m : inc.corruptions()) {
                out.println("  line " + m.report().line() + ": " + Escape.terminal(m.report().text()));
                LeakedBlock b = m.block();
                if (b == null) {
                    out.println("    no traced block at " + Units.hex(m.report().address()) + " (trace the heap to see who allocated it)");
                } else {
                    out.println("    " + DiagnosticLines.memoryError(m) + ", allocated by:");
                    stack(out, b.stack(), "      ");
                    if (m.placement().freed() != null) {
                        out.println("    freed by:");
                        stack(out, m.placement().freed().stack(), "      ");
                    }
                }
                if (m.crash() != null) {
                    out.println("    it stopped the firmware: the crash at line " + m.crash().line() + " (below)");
                }
            }
            out.println();
        }
        if (inc.crashCount() > 0) {
            out.println(s.red("Crashes") + " (" + inc.crashCount() + ")");
            for (Crash c : inc.crashes()) {
                out.println("  line " + c.line() + ": " + Escape.terminal(c.reason()) + DiagnosticLines.printedNote(c));
                for (long pc : c.backtrace()) {
                    for (String l : options.frames().pcLines(pc)) {
                        out.println("      " + Escape.terminal(l));
                    }
                }
                if (c.truncated()) {
                    out.println("      ...");
                }
                for (String l : DiagnosticLines.crashHeap(options.crashHeaps().get(c.line()))) {
                    out.println("      " + Escape.terminal(l));
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
                if (t.largest() != null && t.samples() > 1) { // over time: one reading's block is in the JSON
                    out.printf("  %-28s %14s  first %s  last %s  lowest %s%n", "  largest free block", "", Units.bytes(t.largest().first()),
                            Units.bytes(t.largest().last()), Units.bytes(t.largest().lowest()));
                }
                if (t.fragmenting()) {
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
        target.add(report.chip() != null ? DiagnosticLines.chip(report) : "chip unknown (give --chip for memory regions)");
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
            out.println(s.red("Found " + bytes + " leaked " + (bytes == 1 ? "byte" : "bytes") + " in " + blocks + (blocks == 1 ? " block." : " blocks.")) + "  ("
                    + Units.bytes(bytes) + " from " + report.leakingStacks() + " call " + (report.leakingStacks() == 1 ? "stack" : "stacks") + ")");
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
                out.printf("  %-12s %10s in %s%s%n", r.getKey().label(), Units.bytes(r.getValue()), Units.blocks(n),
                        r.getKey() == Region.UNKNOWN || r.getKey() == Region.INTERNAL ? "" : r.getKey().internal() ? "  (internal RAM)" : "");
            }
            withoutCallers(out);
        }
        if (report.counts().heapEvents() > 0) {
            out.println("  \"Leaked\" means allocated during the capture and not freed by its end: long-lived buffers count too.");
        }
        String starved = DiagnosticLines.fragmentation(report);
        if (starved != null) {
            out.println(s.red(Escape.terminal(starved)));
        }
        String causes = DiagnosticLines.failureCauses(report.fragmentation());
        if (causes != null) {
            out.println("  " + Escape.terminal(causes));
        }
        out.println();
    }

    /** A row of the cycle table for leaked blocks in no cycle, if there are any. */
    private static void outsideRow(PrintWriter out, CycleReport.Outside o, String start, String note) {
        if (o.leakedBlocks() > 0) {
            out.printf("  %5s  %12s  %8d  %10s  %s%n", "-", start, o.leakedBlocks(), Units.count(o.leakedBytes()), note);
        }
    }

    /**
     * The one listing of the leaks' call stacks, largest total first, each once under the number every other part
     * of the report uses for it: its figures, its allocation site with the known leak pattern, then its frames.
     */
    private void groups(PrintWriter out) {
        List<LeakGroup> groups = report.groups();
        if (groups.isEmpty()) {
            return;
        }
        int shown = options.top() <= 0 ? groups.size() : Math.min(options.top(), groups.size());
        out.println(s.bold("Leaks by call stack") + " (largest total first)");
        String hint = switch (options.frames().names()) {
            case ELF -> null;
            case LOG -> "frames named by the log's idf.py monitor lines (decoded when it ran); --elf build/PROJECT.elf names them all";
            case NONE -> "addresses only: --elf build/PROJECT.elf names the frames (function, file:line) and breaks the leaks down by site";
        };
        // a wrong ELF's condition already says what to do; where the names shown come from is still said
        if (hint != null && (report.recording().elfMatches() || options.frames().names() == FrameTable.Names.LOG)) {
            out.println("  " + s.dim(hint));
        }
        out.println();
        Map<Integer, SiteReport.Site> siteOf = new HashMap<>();
        if (options.sites() != null) {
            for (SiteReport.Site site : options.sites().sites()) {
                site.stacks().forEach(stack -> siteOf.putIfAbsent(stack, site));
            }
        }
        Map<LeakRule, Integer> explained = new HashMap<>();
        for (int i = 0; i < shown; i++) {
            LeakGroup g = groups.get(i);
            String suppressedBy = options.suppressed().get(g.stack());
            out.println(s.bold("#" + (i + 1)) + "  " + figures(g) + growth(g)
                    + (suppressedBy == null ? "" : "  " + s.dim("suppressed by leak:" + Escape.terminal(suppressedBy))));
            if (g.perSnapshot().size() > 1) {
                StringJoiner trend = new StringJoiner(" -> ");
                g.perSnapshot().forEach(n -> trend.add(Long.toString(n)));
                out.println("    blocks alive per heap listing: " + trend);
            }
            SiteReport.Site site = siteOf.get(g.stack());
            if (site != null) {
                out.println("    site: " + Escape.terminal(source(site)) + "  (" + Escape.terminal(site.component()) + ")");
                if (site.rule() != null) {
                    rule(out, site.rule(), explained, i + 1);
                }
            }
            stack(out, g.stack(), "      ");
            out.println();
        }
        if (shown < groups.size()) {
            out.println("... " + (groups.size() - shown) + " smaller call stacks not shown (--top 0 shows all)");
            out.println();
        }
    }

    /** {@code 64,512 B in 768 blocks of 84 B  DRAM  task "webrtc" on core 0  0.000 s .. 0.134 s}; what is unknown is left out. */
    private String figures(LeakGroup g) {
        StringJoiner j = new StringJoiner("  ");
        j.add(Units.count(g.bytes()) + " B in " + Units.blocks(g.blocks()) + " of " + sizes(g));
        List<String> regions = g.regions().keySet().stream().filter(r -> r != Region.UNKNOWN).map(Region::label).toList();
        if (!regions.isEmpty()) {
            j.add(String.join(",", regions));
        }
        String by = contextsOf(g);
        String on = (g.cores().size() == 1 ? "core " : "cores ") + cores(g);
        j.add(by.isEmpty() ? on : by + " on " + on);
        j.add(g.lastNs() != g.firstNs() ? Units.seconds(g.firstNs()) + " .. " + Units.seconds(g.lastNs()) : "at " + Units.seconds(g.firstNs()));
        return j.toString();
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
            Key k = new Key(b.size(), task(b.context()), b.region() == null ? "?" : b.region().label());
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

    /** Rows of each table of the peaks section. */
    private static final int HELD_ROWS = 10;
    /** Callers a one-line call site names. */
    private static final int SITE_FRAMES = 3;

    /** What held the memory: the live set at the peak, the low water and failed allocations, then stack peaks, temporaries, sizes. */
    private void held(PrintWriter out) {
        PeakReport p = report.peaks();
        if (p.peak() == null) {
            return;
        }
        long first = report.counts().firstNs();
        out.println(s.bold("What held the memory"));
        PeakReport.Moment peak = p.peak();
        out.println("  At the peak of traced live bytes, " + Units.count(peak.liveBytes()) + " bytes in " + Units.blocks(peak.liveBlocks())
                + " at " + Units.seconds(peak.timeNs() - first) + ":");
        moment(out, peak);
        if (p.lowWater() != null) {
            PeakReport.Moment low = p.lowWater();
            out.println("  At the lowest free heap the device reported (" + Escape.terminal(low.what().label()) + ": "
                    + Units.count(low.what().free()) + " bytes free at " + Units.seconds(low.timeNs() - first) + "), traced live "
                    + Units.count(low.liveBytes()) + " bytes in " + Units.blocks(low.liveBlocks()) + ":");
            moment(out, low);
        }
        for (PeakReport.Moment f : p.failures()) {
            out.println("  At the failed allocation of " + Units.count(f.what().size()) + " bytes at " + Units.seconds(f.timeNs() - first)
                    + " (" + site(f.what().stack()) + "), traced live " + Units.count(f.liveBytes()) + " bytes in " + Units.blocks(f.liveBlocks()) + ":");
            moment(out, f);
        }
        if (p.failedAllocs() > p.failures().size()) {
            out.println("  " + Units.count(p.failedAllocs() - p.failures().size()) + " more failed allocations (the live set is kept at the first "
                    + p.failures().size() + ")");
        }
        out.println("  Peak per call stack (the most live bytes each held at once):");
        out.printf("  %12s  %8s  %12s  %s%n", "peak bytes", "blocks", "at the end", "call site");
        for (PeakReport.StackPeak sp : rows(p.stackPeaks())) {
            out.printf("  %12s  %8s  %12s  %s%n", Units.count(sp.peakBytes()), Units.count(sp.peakBlocks()), Units.count(sp.endBytes()), site(sp.stack()));
        }
        PeakReport.Temporary t = p.temporary();
        out.println("  Temporary allocations (" + t.rule().describe() + "): " + Units.count(t.blocks()) + " of " + Units.count(t.allocations())
                + " allocations, " + Units.count(t.bytes()) + " bytes" + (t.sites().isEmpty() ? "" : ":"));
        for (PeakReport.TemporarySite ts : rows(t.sites())) {
            out.printf("  %12s  of %8s  %12s bytes  %s%n", Units.count(ts.blocks()), Units.count(ts.allocations()), Units.count(ts.bytes()), site(ts.stack()));
        }
        out.println("  Sizes: allocated over the capture, and live at the peak with what the heap spends on them beyond the bytes asked for");
        out.printf("  %-17s  %10s  %12s  %10s  %12s  %10s%n", "size", "allocated", "bytes", "at peak", "bytes", "overhead");
        Map<Long, PeakReport.SizeClass> atPeak = new HashMap<>();
        p.livePeak().forEach(c -> atPeak.put(c.from(), c));
        for (PeakReport.SizeClass c : p.allocated()) {
            PeakReport.SizeClass live = atPeak.get(c.from());
            out.printf("  %-17s  %10s  %12s  %10s  %12s  %10s%n", c.to() == Long.MAX_VALUE ? c.from() + "+" : c.from() + ".." + c.to(),
                    Units.count(c.blocks()), Units.count(c.bytes()), live == null ? "0" : Units.count(live.blocks()),
                    live == null ? "0" : Units.count(live.bytes()), live == null ? "0" : Units.count(live.overhead()));
        }
        for (PeakReport.RegionCost c : p.costs()) {
            out.printf("  Heap cost at the peak, %s: %s blocks of %s bytes take %s bytes more (%.1f %%)%n", c.region().label(), Units.count(c.blocks()),
                    Units.count(c.bytes()), Units.count(c.overhead()), 100.0 * c.overhead() / Math.max(1, c.bytes()));
        }
        out.println(s.dim("  (ESP-IDF's heap: a " + PeakReport.HEADER_BYTES + "-byte header per block, sizes rounded up to " + PeakReport.ALIGN
                + " bytes, at least " + PeakReport.MIN_BLOCK + "; heap poisoning adds more)"));
        out.println();
    }

    /** A moment's sites: bytes, share, blocks, the part never freed, region, task, call site. */
    private void moment(PrintWriter out, PeakReport.Moment m) {
        out.printf("  %12s  %6s  %8s  %12s  %-10s  %-12s  %s%n", "bytes", "share", "blocks", "never freed", "region", "task", "call site");
        for (PeakReport.Site site : rows(m.sites())) {
            out.printf("  %12s  %5.1f%%  %8s  %12s  %-10s  %-12s  %s%n", Units.count(site.bytes()), 100.0 * site.bytes() / Math.max(1, m.liveBytes()),
                    Units.count(site.blocks()), site.leakBytes() < 0 ? "?" : Units.count(site.leakBytes()), site.region().label(),
                    Escape.terminal(contexts.get(site.context()).name()), site(site.stack()));
        }
        if (m.siteCount() > Math.min(HELD_ROWS, m.sites().size())) {
            out.println("  " + s.dim("... " + Units.count(m.siteCount() - Math.min(HELD_ROWS, m.sites().size())) + " more call stacks"));
        }
        if (!m.split()) {
            out.println("  " + s.dim("? heap listings replaced the live set: which blocks were freed later is not known"));
        }
    }

    private static <T> List<T> rows(List<T> list) {
        return list.subList(0, Math.min(HELD_ROWS, list.size()));
    }

    /** A call stack in one line: its first callers outside the allocator, innermost first, and its leak group's number when it leaks. */
    private String site(int stack) {
        if (allocatorCallers == null) {
            allocatorCallers = new AllocatorCallers(options.sites(), stacks);
        }
        int from = allocatorCallers.first(stack);
        int to = Math.min(from + SITE_FRAMES, stacks.depth(stack));
        StringJoiner j = new StringJoiner(" < ");
        for (int k = from; k < to; k++) {
            String line = options.frames().lines(stacks.frame(stack, k)).get(0);
            j.add(Escape.terminal(line.replaceFirst("^0x[0-9a-f]+: ", ""))); // a name, where there is one: the address is in the stack's listing
        }
        String where = stacks.depth(stack) == 0 ? "(no callers)" : stacks.depth(stack) > to ? j + " < ..." : j.toString();
        int rank = rankOf(stack);
        return rank == 0 ? where : where + "  [#" + rank + "]";
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
                    + from(b.context()) + " on core " + Units.core(b.core()) + " by: " + callers(b.stack()));
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
                        + " (" + e.blockSize() + " bytes)" + from(e.context()) + " by: " + callers(e.stack()));
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
                out.println("    [" + Units.seconds9(e.timeNs()) + "] free " + Units.hex(e.address()) + from(e.context()) + " by: " + callers(e.stack()));
            }
        }
        if (d.failedAllocs() > 0) {
            out.println(s.yellow("  " + DiagnosticLines.failedAllocs(d)));
            for (var e : first(d.failedAllocExamples())) {
                out.println("    [" + Units.seconds9(e.timeNs()) + "] " + e.size() + " bytes" + from(e.context()) + " by: " + callers(e.stack()));
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

    /** The tasks that allocated a group's blocks; empty when the capture does not say (a dump without task data). */
    private String contextsOf(LeakGroup g) {
        List<String> names = new ArrayList<>();
        for (int id : g.contexts()) {
            if (!task(id).isEmpty()) {
                names.add(task(id));
            }
        }
        return Escape.terminal(String.join(", ", names));
    }

    /** A context as ESP-IDF's tools print it ({@code task "main"}), or "" when the capture does not say. */
    private String task(int context) {
        Context c = contexts.get(context);
        return c.kind() == Context.Kind.UNKNOWN ? "" : c.describe();
    }

    /** {@code  from task "main"}, or nothing when the capture does not say which context it was. */
    private String from(int context) {
        String task = task(context);
        return task.isEmpty() ? "" : " from " + Escape.terminal(task);
    }

    private static String sizes(LeakGroup g) {
        long min = g.sizes().firstKey();
        long max = g.sizes().lastKey();
        return min == max ? min + " B" : min + ".." + max + " B";
    }

    private static String cores(LeakGroup g) {
        StringJoiner j = new StringJoiner(",");
        g.cores().forEach(c -> j.add(Units.core(c)));
        return j.toString();
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }
}
