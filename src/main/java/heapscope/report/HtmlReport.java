package heapscope.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.CycleReport;
import heapscope.analysis.Diagnostics;
import heapscope.analysis.Incidents;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.analysis.SiteReport;
import heapscope.analysis.Timeline;
import heapscope.analysis.Trend;
import heapscope.chip.Region;
import heapscope.symbols.Frame;
import heapscope.symbols.FrameTable;
import heapscope.trace.Condition;
import heapscope.trace.ContextTable;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;
import heapscope.trace.StackTable;
import heapscope.trace.Warning;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The leak report as one self-contained HTML page (docs/html-report.md). The summary and the first rows of the
 * site table are plain HTML, readable without JavaScript; the data for the interactive table, flame graph and
 * charts is embedded as JSON and drawn by report.js.
 */
public final class HtmlReport {
    /** Rows written as static HTML; the script pages through all of them. */
    static final int STATIC_ROWS = 200;
    /** Free-heap readings per series sent to the chart; each bucket keeps its lowest reading. */
    static final int SAMPLE_BUCKETS = 2048;

    /**
     * @param frames     lines shown per caller (symbolized with an ELF)
     * @param names      function names per caller address for the flame graph, innermost (inline frames) first
     *                   (see {@link #functionNames}); null names callers by address
     * @param sites      the breakdown by allocation site (needs the ELF); null shows the leak groups instead
     */
    public record Options(String version, FrameRenderer frames, LongFunction<List<String>> names, SiteReport sites, Map<Integer, String> suppressed) {
    }

    /** Function names from the ELF: every inline level of a return address, innermost first; the address outside the ELF. */
    public static LongFunction<List<String>> functionNames(FrameTable table) {
        return a -> {
            List<String> names = new ArrayList<>();
            FrameTable.Resolved r = table.caller(a);
            if (r.inElf()) {
                for (Frame f : r.frames()) {
                    names.add(f.function() == null ? Units.hex(a) : f.function());
                }
            }
            return names.isEmpty() ? List.of(Units.hex(a)) : names;
        };
    }

    private final LeakReport report;
    private final Options options;
    private final StackTable stacks;
    private final ContextTable contexts;
    private List<Row> rows; // the static table and the embedded data show the same rows: made once

    public HtmlReport(LeakReport report, Options options) {
        this.report = report;
        this.options = options;
        this.stacks = report.recording().stacks();
        this.contexts = report.recording().contexts();
    }

    public void write(Writer out) throws IOException {
        String title = "heapscope: " + String.join(", ", report.recording().sources());
        out.write(Html.page(title, body(title), json()));
        out.flush();
    }

    // ---- static HTML: what a reader without JavaScript gets

    private String body(String title) {
        StringBuilder b = new StringBuilder();
        b.append("<header><h1>").append(Html.text(title)).append("</h1>\n<p class=\"meta\">").append(Html.text(meta())).append("</p></header>\n");
        b.append("<main>\n<section id=\"summary\"><h2>Summary</h2>\n");
        b.append("<p id=\"verdict\" class=\"verdict ").append(report.leakedBlocks() > 0 || report.trends().stream().anyMatch(t -> t.verdict() == Trend.Verdict.LEAK) ? "bad" : "good").append("\">")
                .append(Html.text(verdict())).append("</p>\n");
        b.append("<div class=\"figures\">");
        figure(b, "leaked-bytes", Units.count(report.leakedBytes()), "leaked bytes");
        figure(b, "leaked-blocks", Units.count(report.leakedBlocks()), "leaked blocks");
        figure(b, "stacks", Units.count(report.groups().size()), "call stacks");
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
            b.append(c.effect() == Condition.Effect.MISMATCHED ? "<p class=\"warning elf-mismatch\">" : "<p class=\"warning\">")
                    .append(Html.text(c.headline())).append("</p>\n");
        }
        regionsAndTasks(b);
        diagnostics(b);
        incidents(b);
        b.append("</section>\n");
        table(b);
        b.append("<section id=\"flame\"><h2>Flame graph of leaked bytes</h2><noscript><p>The flame graph needs JavaScript.</p></noscript></section>\n");
        b.append("<section id=\"timeline\"><h2>Heap over time</h2><noscript><p>The charts need JavaScript.</p></noscript></section>\n");
        readingsTable(b);
        if (report.cycles() != null) {
            b.append("<section id=\"cycles\"><h2>Leak per cycle</h2><noscript><p>The chart needs JavaScript.</p></noscript></section>\n");
        }
        b.append("</main>\n<footer>heapscope ").append(Html.text(options.version())).append("</footer>\n");
        return b.toString();
    }

    private String meta() {
        LeakReport.Counts c = report.counts();
        StringJoiner j = new StringJoiner(" · ");
        j.add(report.recording().format());
        j.add(report.chip() == null ? "chip unknown" : report.chip().idfName());
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
                    .append(" blocks (").append(Units.bytes(report.leakedBytes())).append(" from ").append(report.groups().size())
                    .append(report.groups().size() == 1 ? " call stack)." : " call stacks).");
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

    /** Heap corruption reports (with the traced block they hit) and crashes (with their backtrace), as the text report lists them. */
    private void incidents(StringBuilder b) {
        Incidents inc = report.incidents();
        if (inc.corruptionCount() == 0 && inc.crashCount() == 0) {
            return;
        }
        b.append("<details id=\"incidents\" open><summary>Heap corruption and crashes (").append(inc.corruptionCount() + inc.crashCount())
                .append(")</summary><ul>");
        for (Incidents.MatchedCorruption m : inc.corruptions()) {
            b.append("<li class=\"corruption\">line ").append(m.report().line()).append(": ").append(Html.text(m.report().text()));
            LeakedBlock block = m.block();
            if (block == null) {
                b.append("<br>no traced block at ").append(Units.hex(m.report().address())).append("</li>");
                continue;
            }
            b.append("<br>in the block at ").append(Units.hex(block.address())).append(" (").append(block.size()).append(" bytes), allocated by:<pre>");
            stackText(b, block.stack());
            b.append("</pre></li>");
        }
        for (Crash c : inc.crashes()) {
            b.append("<li class=\"crash\">line ").append(c.line()).append(": ").append(Html.text(c.reason())).append("<pre>");
            for (long pc : c.backtrace()) {
                for (String line : options.frames().pcLines(pc)) {
                    b.append(Html.text(line)).append('\n');
                }
            }
            b.append(c.truncated() ? "...\n" : "").append("</pre></li>");
        }
        b.append("</ul></details>\n");
    }

    private void table(StringBuilder b) {
        boolean bySite = options.sites() != null;
        b.append("<section id=\"sites\"><h2>").append(bySite ? "Leaks by allocation site" : "Leaks by call stack").append("</h2>\n");
        b.append("<table class=\"rows\" id=\"static-rows\"><thead><tr><th class=\"num\">#</th><th class=\"num\">bytes</th><th class=\"num\">blocks</th><th>sizes</th><th>")
                .append(bySite ? "component" : "tasks").append("</th><th>").append(bySite ? "site" : "innermost callers").append("</th></tr></thead><tbody>\n");
        List<Row> rows = rows();
        for (int i = 0; i < Math.min(STATIC_ROWS, rows.size()); i++) {
            Row r = rows.get(i);
            b.append("<tr><td class=\"num\">").append(i + 1).append("</td><td class=\"num\">").append(Units.count(r.bytes())).append("</td><td class=\"num\">")
                    .append(Units.count(r.blocks())).append("</td><td>").append(Html.text(r.sizes())).append("</td><td>").append(Html.text(r.who()))
                    .append("</td><td>").append(r.rule() == null ? "" : "<div class=\"rule\">known leak: " + Html.text(r.rule()) + "</div>")
                    .append("<details><summary>").append(Html.text(r.label())).append("</summary><pre>");
            for (int stack : r.stacks()) {
                stackText(b, stack);
                b.append('\n');
            }
            b.append("</pre></details></td></tr>\n");
        }
        b.append("</tbody></table>\n");
        if (rows.size() > STATIC_ROWS) {
            b.append("<p class=\"more\">").append(Units.count(rows.size() - STATIC_ROWS)).append(" smaller rows are in the interactive table (needs JavaScript).</p>\n");
        }
        b.append("</section>\n");
    }

    /** One row of the leak table: a site with an ELF, a call stack without. */
    record Row(String label, String who, String sizes, long bytes, long blocks, List<Integer> stacks, String rule, String ruleFix,
               String growth, String suppressedBy) {
    }

    List<Row> rows() {
        if (rows == null) {
            rows = makeRows();
        }
        return rows;
    }

    private List<Row> makeRows() {
        List<Row> rows = new ArrayList<>();
        if (options.sites() != null) {
            for (SiteReport.Site s : options.sites().sites()) {
                String label = (s.function() == null ? Units.hex(s.address()) : s.function()) + (s.file() == null ? "" : " at " + s.file() + ":" + s.line());
                rows.add(new Row(label, s.component(), sizes(s.sizes()), s.bytes(), s.blocks(), s.stacks(),
                        s.rule() == null ? null : s.rule().title(), s.rule() == null ? null : s.rule().fix(), null, null));
            }
        } else {
            for (LeakGroup g : report.groups()) {
                rows.add(new Row(callers(g.stack()), tasks(g), sizes(g.sizes()), g.bytes(), g.blocks(), List.of(g.stack()), null, null,
                        g.growth().kind().name().toLowerCase(Locale.ROOT), options.suppressed().get(g.stack())));
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

    // ---- embedded data for report.js

    private String json() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("kind", "leak-report");
            g.writeStringField("title", "heapscope: " + String.join(", ", report.recording().sources()));
            g.writeNumberField("leakedBytes", report.leakedBytes());
            g.writeNumberField("leakedBlocks", report.leakedBlocks());
            g.writeNumberField("firstNs", report.counts().firstNs());
            g.writeNumberField("lastNs", report.counts().lastNs());
            g.writeBooleanField("bySite", options.sites() != null);
            List<Long> addresses = new ArrayList<>();
            rowsJson(g);
            groupsJson(g, new HashMap<>(), addresses);
            addressesJson(g, addresses);
            timelineJson(g);
            samplesJson(g);
            cyclesJson(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private void rowsJson(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("rows");
        for (Row r : rows()) {
            g.writeStartObject();
            g.writeStringField("label", r.label());
            g.writeStringField("who", r.who());
            g.writeStringField("sizes", r.sizes());
            g.writeNumberField("bytes", r.bytes());
            g.writeNumberField("blocks", r.blocks());
            g.writeArrayFieldStart("stacks");
            for (int s : r.stacks()) {
                g.writeNumber(s);
            }
            g.writeEndArray();
            if (r.rule() != null) {
                g.writeStringField("rule", r.rule());
                g.writeStringField("fix", r.ruleFix());
            }
            if (r.growth() != null) {
                g.writeStringField("growth", r.growth());
            }
            if (r.suppressedBy() != null) {
                g.writeStringField("suppressed", r.suppressedBy());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Every leaking stack once, with its bytes: the flame graph and the rows' expansions read these. */
    private void groupsJson(JsonGenerator g, Map<Long, Integer> ids, List<Long> addresses) throws IOException {
        g.writeObjectFieldStart("stacks");
        for (LeakGroup group : report.groups()) {
            g.writeArrayFieldStart(Integer.toString(group.stack()));
            g.writeNumber(group.bytes());
            for (long a : stacks.frames(group.stack())) {
                g.writeNumber(index(a, ids, addresses));
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** Numbers each caller address once, so a frame shared by many stacks is sent once. */
    private static int index(long address, Map<Long, Integer> ids, List<Long> addresses) {
        return ids.computeIfAbsent(address, a -> {
            addresses.add(a);
            return addresses.size() - 1;
        });
    }

    /** Per caller address: the lines shown for it and the function names, innermost first (inline frames included). */
    private void addressesJson(JsonGenerator g, List<Long> addresses) throws IOException {
        g.writeArrayFieldStart("addresses");
        for (long a : addresses) {
            g.writeStartObject();
            g.writeStringField("a", Units.hex(a));
            g.writeArrayFieldStart("lines");
            for (String l : options.frames().lines(a)) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("names");
            for (String name : options.names() == null ? List.of(Units.hex(a)) : options.names().apply(a)) {
                g.writeString(name);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Each free-heap series in figures, as the text report has them: also for readings without times, which no chart can place. */
    private void readingsTable(StringBuilder b) {
        if (report.trends().isEmpty()) {
            return;
        }
        b.append("<section id=\"readings\"><h2>Free heap readings</h2>\n<table class=\"readings\"><thead><tr><th>series</th>")
                .append("<th>readings</th><th>first</th><th>last</th><th>lowest</th><th>trend of the low-water marks</th></tr></thead><tbody>\n");
        for (Trend t : report.trends()) {
            b.append("<tr class=\"").append(t.verdict() == Trend.Verdict.LEAK ? "bad" : "").append("\"><td>").append(Html.text(t.label()))
                    .append("</td><td class=\"num\">").append(Units.count(t.samples())).append("</td><td class=\"num\">")
                    .append(Units.bytes(t.firstFree())).append("</td><td class=\"num\">").append(Units.bytes(t.lastFree()))
                    .append("</td><td class=\"num\">").append(Units.bytes(t.lowest())).append("</td><td>")
                    .append(Html.text(DiagnosticLines.trendVerdict(t))).append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    private void timelineJson(JsonGenerator g) throws IOException {
        List<Timeline.Point> points = report.timeline();
        g.writeObjectFieldStart("timeline");
        long[][] cols = new long[5][points.size()];
        for (int i = 0; i < points.size(); i++) {
            Timeline.Point p = points.get(i);
            cols[0][i] = p.startNs() - report.counts().firstNs();
            cols[1][i] = p.endNs() - report.counts().firstNs();
            cols[2][i] = p.min();
            cols[3][i] = p.max();
            cols[4][i] = p.last();
        }
        String[] names = {"t", "e", "min", "max", "last"};
        for (int c = 0; c < names.length; c++) {
            g.writeFieldName(names[c]);
            g.writeArray(cols[c], 0, points.size());
        }
        g.writeEndObject();
    }

    /** Free-heap readings per label, at most {@link #SAMPLE_BUCKETS} each, each bucket keeping its lowest reading. */
    private void samplesJson(JsonGenerator g) throws IOException {
        Map<String, List<HeapSample>> byLabel = new TreeMap<>();
        for (HeapSample h : report.incidents().samples()) {
            if (h.timed() && h.free() >= 0) {
                byLabel.computeIfAbsent(h.label(), k -> new ArrayList<>()).add(h);
            }
        }
        g.writeArrayFieldStart("samples");
        for (Map.Entry<String, List<HeapSample>> e : byLabel.entrySet()) {
            List<HeapSample> list = e.getValue();
            int per = Math.max(1, (list.size() + SAMPLE_BUCKETS - 1) / SAMPLE_BUCKETS);
            g.writeStartObject();
            g.writeStringField("label", e.getKey());
            List<long[]> kept = new ArrayList<>();
            for (int i = 0; i < list.size(); i += per) {
                HeapSample low = list.get(i);
                long minFree = low.minFree();
                for (int k = i; k < Math.min(list.size(), i + per); k++) {
                    HeapSample h = list.get(k);
                    if (h.free() < low.free()) {
                        low = h;
                    }
                    if (h.minFree() >= 0) {
                        minFree = minFree < 0 ? h.minFree() : Math.min(minFree, h.minFree());
                    }
                }
                kept.add(new long[] {low.timeNs() - report.counts().firstNs(), low.free(), minFree});
            }
            String[] names = {"t", "free", "minFree"};
            for (int c = 0; c < 3; c++) {
                g.writeArrayFieldStart(names[c]);
                for (long[] k : kept) {
                    g.writeNumber(k[c]);
                }
                g.writeEndArray();
            }
            long lowest = Long.MAX_VALUE;
            for (HeapSample h : list) {
                lowest = Math.min(lowest, h.minFree() >= 0 ? Math.min(h.minFree(), h.free()) : h.free());
            }
            g.writeNumberField("lowWater", lowest);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void cyclesJson(JsonGenerator g) throws IOException {
        CycleReport c = report.cycles();
        if (c == null) {
            g.writeNullField("cycles");
            return;
        }
        g.writeObjectFieldStart("cycles");
        g.writeNumberField("warmup", c.warmup());
        g.writeNumberField("steadyBytes", c.steadyBytes());
        g.writeNumberField("steadyCycles", c.steadyCycles());
        g.writeArrayFieldStart("outside"); // leaked bytes and blocks in no cycle: before the first marker, in the grace
        for (CycleReport.Outside o : List.of(c.before(), c.grace())) {
            g.writeStartArray();
            g.writeNumber(o.leakedBytes());
            g.writeNumber(o.leakedBlocks());
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("list");
        for (CycleReport.Cycle cycle : c.cycles()) {
            g.writeStartObject();
            g.writeNumberField("index", cycle.index());
            g.writeNumberField("start", cycle.startNs() - report.counts().firstNs());
            g.writeNumberField("end", cycle.endNs() - report.counts().firstNs());
            g.writeStringField("marker", cycle.marker());
            g.writeNumberField("bytes", cycle.leakedBytes());
            g.writeNumberField("blocks", cycle.leakedBlocks());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A stack's frames, one line each; frames inferred from the call graph are marked ~, candidates follow. */
    private void stackText(StringBuilder b, int stack) {
        int recorded = stacks.depth(stack) - stacks.inferred(stack);
        for (int k = 0; k < stacks.depth(stack); k++) {
            for (String line : options.frames().lines(stacks.frame(stack, k))) {
                b.append(k < recorded ? "" : "<span class=\"inferred\" title=\"inferred from the call graph\">~</span>")
                        .append(Html.text(line)).append('\n');
            }
        }
        long[] candidates = stacks.candidates(stack);
        if (candidates.length > 0) {
            b.append("<span class=\"inferred\">~ called from one of:</span>\n");
            for (long c : candidates) {
                for (String line : options.frames().lines(c)) {
                    b.append("  ").append(Html.text(line)).append('\n');
                }
            }
        }
    }
}
