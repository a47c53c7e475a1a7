package heapscope.report;

import heapscope.analysis.CycleReport;
import heapscope.analysis.Diagnostics;
import heapscope.analysis.Incidents;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakRule;
import heapscope.analysis.LeakedBlock;
import heapscope.analysis.PeakReport;
import heapscope.analysis.SiteReport;
import heapscope.analysis.Trend;
import heapscope.chip.Region;
import heapscope.coredump.heap.CrashHeap;
import heapscope.symbols.FrameTable;
import heapscope.trace.Condition;
import heapscope.trace.ContextTable;
import heapscope.trace.Crash;
import heapscope.trace.StackTable;
import heapscope.trace.Warning;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;

/**
 * The leak report as one self-contained HTML page (docs/html-report.md). The summary and the first rows of the
 * site table are plain HTML, readable without JavaScript; the data for the interactive table, flame graph and
 * charts is the JSON report itself ({@link JsonReport}, its long lists cut to {@link Options#rows}), embedded
 * and drawn by report.js.
 */
public final class HtmlReport {
    /** Rows written as static HTML; the script pages through all that the page holds. */
    static final int STATIC_ROWS = 200;
    /** Entries the page holds of each list that grows with the capture (sites, call stacks, blocks): --html-rows. */
    public static final int DEFAULT_ROWS = 5_000;

    /**
     * @param frames     the capture's frames (named with an ELF)
     * @param sites      the breakdown by allocation site (needs the ELF); null shows the leak groups instead
     * @param rows       entries of each long list the page holds, the largest first, 0 for all ({@link JsonReport}'s limit)
     * @param sourceRoot --source-root: paths are shown relative to it and sites link to their line in VS Code; null
     *                   shows them without the directory all of them share, and no links
     */
    public record Options(String version, FrameTable frames, SiteReport sites, Map<Integer, String> suppressed, int rows, String sourceRoot,
                          Map<Long, CrashHeap> crashHeaps) {
        public Options(String version, FrameTable frames, SiteReport sites, Map<Integer, String> suppressed, int rows, String sourceRoot) {
            this(version, frames, sites, suppressed, rows, sourceRoot, Map.of());
        }
    }

    private final LeakReport report;
    private final Options options;
    private final FrameRenderer lines;
    private final StackTable stacks;
    private final ContextTable contexts;

    public HtmlReport(LeakReport report, Options options) {
        this.report = report;
        this.options = options;
        this.lines = FrameRenderer.of(options.frames());
        this.stacks = report.recording().stacks();
        this.contexts = report.recording().contexts();
    }

    public void write(Writer out) throws IOException {
        String title = "heapscope: " + String.join(", ", report.recording().sources());
        JsonReport data = new JsonReport(report, options.version(), options.frames(), options.sites(), options.suppressed(), options.crashHeaps(),
                options.rows(), true);
        Html.page(out, title, body(title), data::write);
        out.flush();
    }

    // ---- static HTML: what a reader without JavaScript gets

    private String body(String title) {
        StringBuilder b = new StringBuilder();
        b.append("<header><h1>").append(Html.text(title)).append("</h1>\n<p class=\"meta\">").append(Html.text(meta())).append("</p></header>\n");
        b.append("<main").append(options.sourceRoot() == null ? "" : " data-source-root=\"" + Html.text(options.sourceRoot()) + "\"")
                .append(">\n<section id=\"summary\"><h2>Summary</h2>\n");
        b.append("<p id=\"verdict\" class=\"verdict ").append(report.leakedBlocks() > 0 || report.trends().stream().anyMatch(t -> t.verdict() == Trend.Verdict.LEAK) ? "bad" : "good").append("\">")
                .append(Html.text(verdict())).append("</p>\n");
        capped(b);
        b.append("<div class=\"figures\">");
        figure(b, "leaked-bytes", Units.count(report.leakedBytes()), "leaked bytes");
        figure(b, "leaked-blocks", Units.count(report.leakedBlocks()), "leaked blocks");
        figure(b, "stacks", Units.count(report.leakingStacks()), "call stacks");
        if (report.cycles() != null && report.cycles().steadyBytes() >= 0) {
            figure(b, "steady", Units.count(report.cycles().steadyBytes()), "bytes per cycle (steady)");
        }
        b.append("</div>\n");
        if (!options.suppressed().isEmpty()) {
            long sb = 0;
            long sk = 0;
            for (LeakGroup g : report.groups()) {
                if (options.suppressed().containsKey(g.stack())) {
                    sb += g.bytes();
                    sk += g.blocks();
                }
            }
            b.append("<p id=\"suppressed\">of which ").append(Units.count(sb)).append(" bytes in ").append(Units.count(sk))
                    .append(" blocks suppressed (").append(options.suppressed().size()).append(" call stacks, --suppress)</p>\n");
        }
        for (Condition c : report.recording().conditions()) {
            Html.condition(b, c, c.headline());
        }
        String starved = DiagnosticLines.fragmentation(report);
        if (starved != null) {
            b.append("<p id=\"fragmentation\" class=\"verdict bad\">").append(Html.text(starved)).append("</p>\n");
        }
        String causes = DiagnosticLines.failureCauses(report.fragmentation());
        if (causes != null) {
            b.append("<p id=\"failure-causes\">").append(Html.text(causes)).append("</p>\n");
        }
        regionsAndTasks(b);
        diagnostics(b);
        incidents(b);
        b.append("</section>\n");
        table(b);
        b.append("<section id=\"flame\"><h2>Flame graph of leaked bytes</h2><noscript><p>The flame graph needs JavaScript.</p></noscript></section>\n");
        b.append("<section id=\"timeline\"><h2>Heap over time</h2><noscript><p>The charts need JavaScript.</p></noscript></section>\n");
        held(b);
        readingsTable(b);
        if (report.cycles() != null) {
            b.append("<section id=\"cycles\"><h2>Leak per cycle</h2><noscript><p>The chart needs JavaScript.</p></noscript></section>\n");
        }
        b.append("</main>\n<footer>heapscope ").append(Html.text(options.version())).append("</footer>\n");
        return b.toString();
    }

    /** Rows of the peak's table written as static HTML; the script draws it and the other moments from the JSON. */
    static final int HELD_ROWS = 20;

    /** What held the memory at the peak: the static table, which report.js replaces by its tables of every moment. */
    private void held(StringBuilder b) {
        PeakReport.Moment peak = report.peaks().peak();
        if (peak == null) {
            return;
        }
        b.append("<section id=\"held\"><h2>What held the memory</h2>\n<p id=\"peak-line\">")
                .append(Html.text("At the peak of traced live bytes, " + Units.count(peak.liveBytes()) + " bytes in " + Units.blocks(peak.liveBlocks())
                        + " at " + Units.seconds(peak.timeNs() - report.counts().firstNs()) + ", from " + Units.count(peak.siteCount()) + " call stacks:"))
                .append("</p>\n<table id=\"peak-sites\" class=\"rows\"><thead><tr><th class=\"num\">bytes</th><th class=\"num\">share</th>")
                .append("<th class=\"num\">blocks</th><th class=\"num\">never freed</th><th>region</th><th>task</th><th>call site</th></tr></thead><tbody>");
        AllocatorCallers allocator = new AllocatorCallers(options.sites(), stacks);
        for (PeakReport.Site site : peak.sites().subList(0, Math.min(HELD_ROWS, peak.sites().size()))) {
            b.append("<tr><td class=\"num\">").append(Units.count(site.bytes())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.1f %%", 100.0 * site.bytes() / Math.max(1, peak.liveBytes())))
                    .append("</td><td class=\"num\">").append(Units.count(site.blocks())).append("</td><td class=\"num\">")
                    .append(site.leakBytes() < 0 ? "?" : Units.count(site.leakBytes())).append("</td><td>").append(Html.text(site.region().label()))
                    .append("</td><td>").append(Html.text(contexts.get(site.context()).name())).append("</td><td>")
                    .append(Html.text(stacks.depth(site.stack()) == 0 ? "(no callers)"
                            : lines.lines(stacks.frame(site.stack(), allocator.first(site.stack()))).get(0)))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>\n</section>\n");
    }

    private String meta() {
        LeakReport.Counts c = report.counts();
        StringJoiner j = new StringJoiner(" · ");
        j.add(report.recording().format());
        j.add(report.chip() == null ? "chip unknown" : DiagnosticLines.chip(report));
        j.add(DiagnosticLines.cores(report.recording()));
        j.add(Units.seconds(c.lastNs() - c.firstNs()));
        j.add(DiagnosticLines.heapSummary(c));
        return j.toString();
    }

    /** The text report's sentence, then what the cycles and the free-heap trend add (a log of readings alone has no allocations). */
    private String verdict() {
        StringBuilder s = new StringBuilder();
        if (report.counts().heapEvents() == 0) {
            s.append("No allocations in this capture: nothing to say about leaks from traced blocks.");
        } else if (report.leakedBlocks() == 0) {
            s.append("No leaks: every block allocated in the capture was freed.");
        } else {
            s.append("Found ").append(Units.count(report.leakedBytes())).append(" leaked bytes in ").append(Units.count(report.leakedBlocks()))
                    .append(" blocks (").append(Units.bytes(report.leakedBytes())).append(" from ").append(report.leakingStacks())
                    .append(report.leakingStacks() == 1 ? " call stack)." : " call stacks).");
        }
        CycleReport cycles = report.cycles();
        if (cycles != null && cycles.steadyBytes() > 0) {
            s.append(" Steady leak: ").append(Units.count(cycles.steadyBytes())).append(" bytes per cycle over ").append(cycles.steadyCycles())
                    .append(" cycles").append(cycles.cyclesLeft() >= 0 ? ", heap exhausted in about " + Units.count(cycles.cyclesLeft()) + " more cycles." : ".");
        }
        for (Trend t : report.trends()) {
            if (t.verdict() == Trend.Verdict.LEAK) {
                s.append(" Free heap (").append(t.label()).append(") falls steadily");
                if (t.timed()) {
                    s.append(String.format(Locale.ROOT, ", about %.0f bytes a minute", -t.slope() * 60));
                }
                s.append('.');
            }
        }
        return s.toString();
    }

    /** What the page leaves out when its lists are longer than {@link Options#rows}: the totals still count it. */
    private void capped(StringBuilder b) {
        List<String> cut = new ArrayList<>();
        int limit = options.rows();
        if (options.sites() != null && limit > 0 && options.sites().sites().size() > limit) {
            cut.add(Units.count(limit) + " of " + Units.count(options.sites().sites().size()) + " allocation sites");
        }
        if (limit > 0 && report.groups().size() > limit) {
            cut.add(Units.count(limit) + " of " + Units.count(report.groups().size()) + " call stacks");
        }
        if (!cut.isEmpty()) {
            b.append("<p class=\"warning\" id=\"capped\">").append(Html.text("Showing the largest " + String.join(" and the largest ", cut)
                    + "; totals are exact (--html-rows 0 puts every one in the page, --format json lists them all).")).append("</p>\n");
        }
    }

    private static void figure(StringBuilder b, String id, String value, String label) {
        b.append("<div class=\"figure\" id=\"fig-").append(id).append("\"><span class=\"value\">").append(Html.text(value))
                .append("</span><span class=\"label\">").append(Html.text(label)).append("</span></div>");
    }

    private void regionsAndTasks(StringBuilder b) {
        if (report.leaks().isEmpty()) {
            return;
        }
        Map<Region, Long> regionBlocks = report.regionBlocks();
        Map<String, long[]> tasks = new LinkedHashMap<>();
        for (LeakedBlock l : report.leaks()) {
            long[] t = tasks.computeIfAbsent(contexts.get(l.context()).describe(), k -> new long[2]);
            t[0] += l.size();
            t[1]++;
        }
        b.append("<div class=\"side\"><table id=\"regions\"><caption>By memory region</caption><thead><tr><th>region</th><th class=\"num\">bytes</th><th class=\"num\">blocks</th></tr></thead><tbody>");
        for (Map.Entry<Region, Long> r : report.regions().entrySet()) {
            b.append("<tr><td>").append(Html.text(r.getKey().label())).append(r.getKey().internal() ? " (internal)" : "").append("</td><td class=\"num\">")
                    .append(Units.count(r.getValue())).append("</td><td class=\"num\">").append(Units.count(regionBlocks.getOrDefault(r.getKey(), 0L))).append("</td></tr>");
        }
        b.append("</tbody></table>\n<table id=\"tasks\"><caption>By task</caption><thead><tr><th>task</th><th class=\"num\">bytes</th><th class=\"num\">blocks</th></tr></thead><tbody>");
        tasks.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(50).forEach(e ->
                b.append("<tr><td>").append(Html.text(e.getKey())).append("</td><td class=\"num\">").append(Units.count(e.getValue()[0]))
                        .append("</td><td class=\"num\">").append(Units.count(e.getValue()[1])).append("</td></tr>"));
        b.append("</tbody></table></div>\n");
    }

    private List<String> diagnosticLines() {
        Diagnostics d = report.diagnostics();
        List<String> out = new ArrayList<>();
        if (d.freesInsideBlocks() > 0) {
            out.add(DiagnosticLines.freesInsideBlocks(d));
        }
        if (d.duplicateAllocs() > 0) {
            out.add(DiagnosticLines.duplicateAllocs(d));
        }
        if (d.unmatchedFrees() > 0) {
            out.add(DiagnosticLines.unmatchedFrees(d));
        }
        if (d.failedAllocs() > 0) {
            out.add(DiagnosticLines.failedAllocs(d));
        }
        if (d.nullFrees() > 0) {
            out.add(DiagnosticLines.nullFrees(d));
        }
        if (d.reorderedPairs() > 0) {
            out.add(DiagnosticLines.reorderedPairs(d));
        }
        return out;
    }

    private void diagnostics(StringBuilder b) {
        List<String> lines = diagnosticLines();
        List<Warning> warnings = report.recording().warnings();
        if (lines.isEmpty() && warnings.isEmpty()) {
            return;
        }
        b.append("<details id=\"diagnostics\" open><summary>Trace diagnostics and warnings (").append(lines.size() + warnings.size()).append(")</summary><ul>");
        for (String l : lines) {
            b.append("<li>").append(Html.text(l)).append("</li>");
        }
        int n = Math.min(100, warnings.size());
        for (int i = 0; i < n; i++) {
            b.append("<li class=\"warn\">warning: ").append(Html.text(warnings.get(i).format())).append("</li>");
        }
        long more = warnings.size() - n + report.recording().suppressedWarnings();
        if (more > 0) {
            b.append("<li>").append(more).append(" more warnings (--format json lists them)</li>");
        }
        b.append("</ul></details>\n");
    }

    /** Memory errors (with the traced block they hit and the crash they caused) and crashes (with their backtrace), as the text report lists them. */
    private void incidents(StringBuilder b) {
        Incidents inc = report.incidents();
        if (inc.corruptionCount() == 0 && inc.crashCount() == 0) {
            return;
        }
        b.append("<details id=\"incidents\" open><summary>Memory errors and crashes (").append(inc.corruptionCount() + inc.crashCount())
                .append(")</summary><ul>");
        for (Incidents.MatchedCorruption m : inc.corruptions()) {
            b.append("<li class=\"corruption\">line ").append(m.report().line()).append(": ").append(Html.text(m.report().text()));
            LeakedBlock block = m.block();
            if (block == null) {
                b.append("<br>no traced block at ").append(Units.hex(m.report().address()));
            } else {
                b.append("<br>").append(Html.text(DiagnosticLines.memoryError(m))).append(", allocated by:<pre>");
                stackText(b, block.stack());
                b.append("</pre>");
                if (m.placement().freed() != null) {
                    b.append("freed by:<pre>");
                    stackText(b, m.placement().freed().stack());
                    b.append("</pre>");
                }
            }
            if (m.crash() != null) {
                b.append("<br>it stopped the firmware: the crash at line ").append(m.crash().line());
            }
            b.append("</li>");
        }
        for (Crash c : inc.crashes()) {
            b.append("<li class=\"crash\">line ").append(c.line()).append(": ").append(Html.text(c.reason() + DiagnosticLines.printedNote(c))).append("<pre>");
            for (long pc : c.backtrace()) {
                for (String line : lines.pcLines(pc)) {
                    b.append(Html.text(line)).append('\n');
                }
            }
            b.append(c.truncated() ? "...\n" : "");
            for (String line : DiagnosticLines.crashHeap(options.crashHeaps().get(c.line()))) {
                b.append(Html.text(line)).append('\n');
            }
            b.append("</pre></li>");
        }
        b.append("</ul></details>\n");
    }

    private void table(StringBuilder b) {
        boolean bySite = options.sites() != null;
        b.append("<section id=\"sites\"><h2>").append(bySite ? "Leaks by allocation site" : "Leaks by call stack").append("</h2>\n");
        b.append("<table class=\"rows\" id=\"static-rows\"><thead><tr><th class=\"num\">#</th><th class=\"num\">bytes</th><th class=\"num\">blocks</th><th>sizes</th><th>")
                .append(bySite ? "component" : "tasks").append("</th><th>").append(bySite ? "site" : "innermost callers").append("</th></tr></thead><tbody>\n");
        List<Row> rows = rows();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            b.append("<tr><td class=\"num\">").append(i + 1).append("</td><td class=\"num\">").append(Units.count(r.bytes())).append("</td><td class=\"num\">")
                    .append(Units.count(r.blocks())).append("</td><td>").append(Html.text(r.sizes())).append("</td><td>").append(Html.text(r.who()))
                    .append("</td><td>").append(rule(r.rule()))
                    .append("<details><summary>").append(Html.text(r.label())).append("</summary><pre>");
            for (int stack : r.stacks()) {
                stackText(b, stack);
                b.append('\n');
            }
            b.append("</pre></details></td></tr>\n");
        }
        b.append("</tbody></table>\n");
        int all = rowCount();
        int held = heldRows();
        List<String> more = new ArrayList<>();
        if (held > rows.size()) {
            more.add(Units.count(held - rows.size()) + " smaller rows are in the interactive table (needs JavaScript)");
        }
        if (all > held) {
            more.add(Units.count(all - held) + (more.isEmpty() ? " smaller rows" : " more") + " are counted in the totals only");
        }
        if (!more.isEmpty()) {
            b.append("<p class=\"more\">").append(String.join("; ", more)).append(".</p>\n");
        }
        b.append("</section>\n");
    }

    /** One row of the static leak table: a site with an ELF, a call stack without. */
    private record Row(String label, String who, String sizes, long bytes, long blocks, List<Integer> stacks, LeakRule rule) {
    }

    /** A known leak's title, explanation and fix, as the text report has them beside its site. */
    private static String rule(LeakRule rule) {
        if (rule == null) {
            return "";
        }
        StringBuilder b = new StringBuilder("<div class=\"rule\"><div class=\"rule-title\">").append(rule.expected() ? "expected: " : "known leak: ")
                .append(Html.text(rule.title())).append("</div>");
        if (!rule.explain().isEmpty()) {
            b.append("<div class=\"rule-explain\">").append(Html.text(rule.explain())).append("</div>");
        }
        if (!rule.fix().isEmpty()) {
            b.append("<div class=\"rule-fix\">fix: ").append(Html.text(rule.fix())).append("</div>");
        }
        return b.append("</div>").toString();
    }

    /** Rows of the leak table: sites with an ELF, call stacks without. */
    private int rowCount() {
        return options.sites() != null ? options.sites().sites().size() : report.groups().size();
    }

    /** Rows the page holds (the embedded document's cut). */
    private int heldRows() {
        return options.rows() > 0 ? Math.min(rowCount(), options.rows()) : rowCount();
    }

    /** The first rows, as many as the script's table has at most; report.js draws the table again from the embedded JSON. */
    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        int n = Math.min(STATIC_ROWS, heldRows());
        if (options.sites() != null) {
            for (SiteReport.Site s : options.sites().sites().subList(0, n)) {
                String label = (s.function() == null ? Units.hex(s.address()) : s.function()) + (s.file() == null ? "" : " at " + s.file() + ":" + s.line());
                rows.add(new Row(label, s.component(), sizes(s.sizes()), s.bytes(), s.blocks(), s.stacks(), s.rule()));
            }
        } else {
            for (LeakGroup g : report.groups().subList(0, n)) {
                rows.add(new Row(callers(g.stack()), tasks(g), sizes(g.sizes()), g.bytes(), g.blocks(), List.of(g.stack()), null));
            }
        }
        return rows;
    }

    /** The innermost callers, which tell stacks apart when all of them start in the same allocator wrapper. */
    private String callers(int stack) {
        int depth = stacks.depth(stack);
        if (depth == 0) {
            return "(no callers recorded)";
        }
        StringJoiner j = new StringJoiner(" ← ");
        for (int k = 0; k < Math.min(3, depth); k++) {
            j.add(Units.hex(stacks.frame(stack, k)));
        }
        return depth > 3 ? j + " ← …" : j.toString();
    }

    private String tasks(LeakGroup g) {
        StringJoiner j = new StringJoiner(", ");
        for (int id : g.contexts()) {
            j.add(contexts.get(id).describe());
        }
        return j.toString();
    }

    private static String sizes(SortedMap<Long, Long> sizes) {
        if (sizes.isEmpty()) {
            return "";
        }
        long min = sizes.firstKey();
        long max = sizes.lastKey();
        return min == max ? min + " B" : min + ".." + max + " B";
    }

    /** Each free-heap series in figures, as the text report has them: also for readings without times, which no chart can place. */
    private void readingsTable(StringBuilder b) {
        if (report.trends().isEmpty()) {
            return;
        }
        b.append("<section id=\"readings\"><h2>Free heap readings</h2>\n<table class=\"readings\"><thead><tr><th>series</th>")
                .append("<th>readings</th><th>first</th><th>last</th><th>lowest</th><th>largest free block: first, last, lowest</th>")
                .append("<th>trend of the low-water marks</th></tr></thead><tbody>\n");
        for (Trend t : report.trends()) {
            b.append("<tr class=\"").append(t.verdict() == Trend.Verdict.LEAK ? "bad" : "").append("\"><td>").append(Html.text(t.label()))
                    .append("</td><td class=\"num\">").append(Units.count(t.samples())).append("</td><td class=\"num\">")
                    .append(Units.bytes(t.firstFree())).append("</td><td class=\"num\">").append(Units.bytes(t.lastFree()))
                    .append("</td><td class=\"num\">").append(Units.bytes(t.lowest())).append("</td><td class=\"num\">")
                    .append(t.largest() == null ? "-" : Units.bytes(t.largest().first()) + ", " + Units.bytes(t.largest().last()) + ", "
                            + Units.bytes(t.largest().lowest())).append("</td><td>")
                    .append(Html.text(DiagnosticLines.trendVerdict(t))).append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    /** A stack's frames, one line each; frames inferred from the call graph are marked ~, candidates follow. */
    private void stackText(StringBuilder b, int stack) {
        int recorded = stacks.depth(stack) - stacks.inferred(stack);
        for (int k = 0; k < stacks.depth(stack); k++) {
            for (String line : lines.lines(stacks.frame(stack, k))) {
                b.append(k < recorded ? "" : "<span class=\"inferred\" title=\"inferred from the call graph\">~</span>")
                        .append(Html.text(line)).append('\n');
            }
        }
        long[] candidates = stacks.candidates(stack);
        if (candidates.length > 0) {
            b.append("<span class=\"inferred\">~ called from one of:</span>\n");
            for (long c : candidates) {
                for (String line : lines.lines(c)) {
                    b.append("  ").append(Html.text(line)).append('\n');
                }
            }
        }
    }
}
