package heapscope.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.CycleReport;
import heapscope.analysis.Diagnostics;
import heapscope.analysis.Fragmentation;
import heapscope.analysis.Incidents;
import heapscope.analysis.SiteReport;
import heapscope.analysis.SnapshotInfo;
import heapscope.analysis.Timeline;
import heapscope.analysis.Trend;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.analysis.PeakReport;
import heapscope.chip.Region;
import heapscope.symbols.Frame;
import heapscope.symbols.FrameTable;
import heapscope.trace.Context;
import heapscope.trace.Condition;
import heapscope.trace.Event;
import heapscope.trace.ContextTable;
import heapscope.trace.Corruption;
import heapscope.coredump.heap.CrashHeap;
import heapscope.coredump.heap.HeapAtCrash;
import heapscope.coredump.heap.HeapRegion;
import heapscope.coredump.heap.HeapTrace;
import heapscope.coredump.heap.TraceSites;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;
import heapscope.trace.Recording;
import heapscope.trace.StackTable;
import heapscope.trace.Warning;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The leak report for machines; every field is documented in docs/json-report.md. */
public final class JsonReport {
    public static final String SCHEMA = "heapscope/leak-report/1";

    private final LeakReport report;
    private final String version;
    private final ContextTable contexts;
    private final StackTable stacks;

    private final FrameTable frames;
    private final SiteReport sites;
    private final Map<Integer, String> suppressed;
    private final Map<Long, CrashHeap> crashHeaps;
    private final FrameRenderer lines;
    private final int limit;
    private final boolean compact;
    /** Stack id to its group's rank (1 = largest), which leaks, sites and cycles refer to. */
    private final Map<Integer, Integer> rankOfStack = new HashMap<>();

    public JsonReport(LeakReport report, String version) {
        this(report, version, null, null, Map.of(), Map.of());
    }

    /** The whole document, pretty-printed: what --format json writes. */
    public JsonReport(LeakReport report, String version, FrameTable frames, SiteReport sites, Map<Integer, String> suppressed,
                      Map<Long, CrashHeap> crashHeaps) {
        this(report, version, frames, sites, suppressed, crashHeaps, 0, false);
    }

    /**
     * @param frames     the capture's frames, source frames added to each leak group when they come from an ELF; null without one
     * @param sites      the breakdown by allocation site (needs the ELF); null without one
     * @param crashHeaps the heaps of the capture's core dumps by the line they were printed at (need the ELF)
     * @param limit      entries kept of each list that grows with the capture (groups, leaks, sites, cycle sites), 0 for all;
     *                   {@code capped} says which lists were cut, every total stays whole
     * @param compact    without indentation (the document the HTML page embeds)
     */
    public JsonReport(LeakReport report, String version, FrameTable frames, SiteReport sites, Map<Integer, String> suppressed,
                      Map<Long, CrashHeap> crashHeaps, int limit, boolean compact) {
        this.suppressed = suppressed;
        this.crashHeaps = crashHeaps;
        this.report = report;
        this.version = version;
        this.frames = frames;
        this.sites = sites;
        this.lines = frames == null ? FrameRenderer.raw(report.chip()) : FrameRenderer.of(frames);
        this.limit = limit;
        this.compact = compact;
        this.contexts = report.recording().contexts();
        this.stacks = report.recording().stacks();
        for (int i = 0; i < report.groups().size(); i++) {
            rankOfStack.put(report.groups().get(i).stack(), i + 1);
        }
    }

    public void write(Writer writer) throws IOException {
        // the writer stays open: the closing newline follows, and the HTML page goes on after the document
        try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(writer)) {
            if (!compact) {
                g.useDefaultPrettyPrinter();
            }
            open(g, SCHEMA, version);
            recording(g);
            capped(g);
            summary(g);
            snapshots(g);
            cycles(g);
            sites(g);
            groups(g);
            callerLines(g);
            leaks(g);
            timeline(g);
            peaks(g);
            incidents(g);
            diagnostics(g);
            g.writeEndObject();
        }
        writer.write('\n');
        writer.flush();
    }

    private void recording(JsonGenerator g) throws IOException {
        Recording rec = report.recording();
        LeakReport.Counts c = report.counts();
        strings(g, "inputs", rec.sources());
        g.writeStringField("format", rec.format());
        g.writeObjectFieldStart("target");
        g.writeStringField("chip", report.chip() == null ? null : report.chip().idfName());
        g.writeStringField("chip_source", report.chipSource());
        g.writeNumberField("cores", rec.cores());
        g.writeNumberField("traced_cores", rec.tracedCores());
        g.writeNumberField("cpu_freq_hz", rec.cpuFrequencyHz());
        g.writeNumberField("timer_freq_hz", rec.timerFrequencyHz());
        g.writeObjectFieldStart("system");
        for (Map.Entry<String, String> e : rec.system().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("capture");
        g.writeNumberField("events", c.events());
        g.writeNumberField("heap_events", c.heapEvents());
        g.writeNumberField("allocations", c.allocs());
        g.writeNumberField("listings", c.listings());
        g.writeNumberField("listed_records", c.listedRecords());
        g.writeNumberField("frees", c.frees());
        g.writeNumberField("log_messages", c.logMessages());
        g.writeNumberField("first_ns", c.firstNs());
        g.writeNumberField("last_ns", c.lastNs());
        g.writeBooleanField("complete", rec.complete());
        g.writeEndObject();
        g.writeBooleanField("elf_mismatch", !rec.elfMatches());
        g.writeArrayFieldStart("conditions");
        for (Condition cond : rec.conditions()) {
            g.writeStartObject();
            condition(g, cond);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The fields of one entry of {@code conditions[]}, the same in the diff's. */
    static void condition(JsonGenerator g, Condition cond) throws IOException {
        g.writeStringField("kind", cond.kind().id());
        g.writeStringField("effect", cond.effect().name().toLowerCase(Locale.ROOT));
        g.writeStringField("source", cond.source());
        g.writeStringField("reason", cond.reason());
        g.writeStringField("action", cond.action());
    }

    private void summary(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("summary");
        g.writeNumberField("leaked_bytes", report.leakedBytes());
        g.writeNumberField("leaked_blocks", report.leakedBlocks());
        g.writeNumberField("groups", report.groups().size());
        if (!report.groups().isEmpty() && report.groups().stream().allMatch(x -> stacks.depth(x.stack()) == 0)) {
            // no leak has a caller: what the capture said, and that attribution is by size, task and region only
            g.writeStringField("no_callers", report.recording().noCallersReason());
        }
        long sb = 0;
        for (LeakGroup group : report.groups()) {
            sb += suppressed.containsKey(group.stack()) ? group.bytes() : 0;
        }
        g.writeNumberField("suppressed_bytes", sb);
        g.writeArrayFieldStart("regions");
        Map<Region, Long> blocks = report.regionBlocks();
        for (Map.Entry<Region, Long> r : report.regions().entrySet()) {
            g.writeStartObject();
            g.writeStringField("region", r.getKey().label());
            g.writeBooleanField("internal", r.getKey().internal());
            g.writeNumberField("bytes", r.getValue());
            g.writeNumberField("blocks", blocks.get(r.getKey()));
            g.writeEndObject();
        }
        g.writeEndArray();
        fragmentation(g);
        g.writeEndObject();
    }

    /** Why allocations failed, as the readings of the largest free block tell (analysis.Fragmentation). */
    private void fragmentation(JsonGenerator g) throws IOException {
        Fragmentation f = report.fragmentation();
        g.writeObjectFieldStart("fragmentation");
        g.writeNumberField("failed_allocations", f.failures());
        g.writeNumberField("starved", f.starved());
        g.writeNumberField("exhausted", f.exhausted());
        g.writeNumberField("room", f.room());
        g.writeNumberField("unjudged", f.unjudged());
        g.writeStringField("headline", DiagnosticLines.fragmentation(f, report.counts().firstNs()));
        g.writeArrayFieldStart("failures");
        for (Fragmentation.Failure x : f.examples()) {
            g.writeStartObject();
            g.writeNumberField("size", x.size());
            g.writeNumberField("time_ns", x.timeNs());
            g.writeStringField("cause", x.cause().id());
            g.writeBooleanField("reading_after", x.after());
            g.writeObjectFieldStart("reading");
            g.writeStringField("label", x.reading().label());
            g.writeNumberField("line", x.reading().line());
            g.writeNumberField("free", x.reading().free());
            g.writeNumberField("largest_free_block", x.reading().largestFree());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void groups(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("groups");
        int rank = 0;
        for (LeakGroup group : cut(report.groups())) {
            g.writeStartObject();
            g.writeNumberField("rank", ++rank);
            g.writeNumberField("stack_id", group.stack());
            g.writeStringField("suppressed_by", suppressed.get(group.stack()));
            callers(g, group.stack());
            if (frames != null && frames.names() != FrameTable.Names.NONE) {
                frames(g, group.stack());
            }
            g.writeNumberField("blocks", group.blocks());
            g.writeNumberField("bytes", group.bytes());
            if (stacks.isOther(group.stack())) { // many stacks: their allocations are in the profiles, each under its own stack
                g.writeBooleanField("folded", true);
                g.writeNullField("allocated_blocks");
                g.writeNullField("allocated_bytes");
            } else {
                g.writeNumberField("allocated_blocks", report.allocated().blocks(group.stack()));
                g.writeNumberField("allocated_bytes", report.allocated().bytes(group.stack()));
            }
            g.writeArrayFieldStart("sizes");
            for (Map.Entry<Long, Long> e : group.sizes().entrySet()) {
                g.writeStartObject();
                g.writeNumberField("size", e.getKey());
                g.writeNumberField("blocks", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("contexts");
            for (int id : group.contexts()) {
                context(g, contexts.get(id));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("cores");
            for (int core : group.cores()) {
                if (core == Event.UNKNOWN_CORE) {
                    g.writeNull();
                } else {
                    g.writeNumber(core);
                }
            }
            g.writeEndArray();
            g.writeNumberField("first_ns", group.firstNs());
            g.writeNumberField("last_ns", group.lastNs());
            g.writeObjectFieldStart("growth");
            g.writeStringField("kind", group.growth().kind().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("bytes_per_minute", group.growth().bytesPerMinute());
            g.writeEndObject();
            g.writeArrayFieldStart("per_snapshot");
            for (long n : group.perSnapshot()) {
                g.writeNumber(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("regions");
            for (Map.Entry<Region, Long> r : group.regions().entrySet()) {
                g.writeStartObject();
                g.writeStringField("region", r.getKey().label());
                g.writeNumberField("bytes", r.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The first {@link #limit} entries of a list (all with no limit). */
    private <T> List<T> cut(List<T> list) {
        return limit > 0 && list.size() > limit ? list.subList(0, limit) : list;
    }

    /** Which lists were cut to {@link #limit} entries, with the length each had; null when every list is whole. */
    private void capped(JsonGenerator g) throws IOException {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        lengths.put("groups", report.groups().size());
        lengths.put("leaks", report.leaks().size());
        lengths.put("sites", sites == null ? 0 : sites.sites().size());
        lengths.put("cycle_sites", report.cycles() == null ? 0 : report.cycles().sites().size());
        lengths.values().removeIf(n -> limit <= 0 || n <= limit);
        if (lengths.isEmpty()) {
            g.writeNullField("capped");
            return;
        }
        g.writeObjectFieldStart("capped");
        g.writeNumberField("limit", limit);
        for (Map.Entry<String, Integer> e : lengths.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** Each caller address of the groups written, once: the lines the text report prints for it (inline frames included). */
    private void callerLines(JsonGenerator g) throws IOException {
        Set<Long> addresses = new LinkedHashSet<>();
        for (LeakGroup group : cut(report.groups())) {
            for (long a : stacks.frames(group.stack())) {
                addresses.add(a);
            }
        }
        for (int stack : peakStacks()) {
            for (long a : stacks.frames(stack)) {
                addresses.add(a);
            }
        }
        g.writeObjectFieldStart("caller_lines");
        for (long a : addresses) {
            strings(g, Units.hex(a), lines.lines(a));
        }
        g.writeEndObject();
    }

    private void leaks(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("leaks");
        for (LeakedBlock b : cut(report.leaks())) {
            g.writeStartObject();
            g.writeStringField("address", Units.hex(b.address()));
            g.writeNumberField("size", b.size());
            Context c = contexts.get(b.context());
            g.writeStringField("task", c.name());
            g.writeStringField("context_kind", kind(c));
            Units.core(g, "core", b.core());
            g.writeNumberField("time_ns", b.timeNs());
            callers(g, b.stack());
            g.writeStringField("region", b.region().label());
            g.writeNumberField("group", rankOfStack.get(b.stack()));
            g.writeNumberField("since_snapshot", b.sinceSnapshot());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void snapshots(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("snapshots");
        for (SnapshotInfo info : report.snapshots()) {
            g.writeStartObject();
            g.writeNumberField("index", info.index());
            g.writeStringField("kind", info.kind());
            g.writeNumberField("line", info.line());
            g.writeNumberField("time_ns", info.timeNs());
            g.writeNumberField("alive_blocks", info.aliveBlocks());
            g.writeNumberField("alive_bytes", info.aliveBytes());
            g.writeNumberField("carried", info.carried());
            Snapshot.Declared d = info.declared();
            g.writeObjectFieldStart("declared");
            g.writeNumberField("records", d.records());
            g.writeNumberField("capacity", d.capacity());
            g.writeNumberField("alive_blocks", d.aliveBlocks());
            g.writeNumberField("alive_bytes", d.aliveBytes());
            g.writeNumberField("total_allocations", d.totalAllocs());
            g.writeNumberField("total_frees", d.totalFrees());
            g.writeStringField("mode", d.mode());
            g.writeBooleanField("overflowed", d.overflowed());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void sites(JsonGenerator g) throws IOException {
        if (sites == null) {
            g.writeNullField("sites");
            return;
        }
        g.writeObjectFieldStart("sites");
        g.writeNumberField("total_bytes", sites.totalBytes());
        g.writeNumberField("total_blocks", sites.totalBlocks());
        g.writeArrayFieldStart("list");
        for (SiteReport.Site site : cut(sites.sites())) {
            g.writeStartObject();
            g.writeStringField("function", site.function());
            g.writeStringField("file", site.file());
            g.writeNumberField("line", site.line());
            g.writeStringField("address", Units.hex(site.address()));
            g.writeStringField("component", site.component());
            g.writeNumberField("blocks", site.blocks());
            g.writeNumberField("bytes", site.bytes());
            g.writeNumberField("share", (double) site.bytes() / Math.max(1, sites.totalBytes()));
            g.writeArrayFieldStart("sizes");
            for (Map.Entry<Long, Long> e : site.sizes().entrySet()) {
                g.writeStartObject();
                g.writeNumberField("size", e.getKey());
                g.writeNumberField("blocks", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("regions");
            for (Map.Entry<Region, Long> r : site.regions().entrySet()) {
                g.writeStartObject();
                g.writeStringField("region", r.getKey().label());
                g.writeNumberField("bytes", r.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("groups");
            for (int stack : site.stacks()) {
                g.writeNumber(rankOfStack.getOrDefault(stack, 0));
            }
            g.writeEndArray();
            if (site.rule() == null) {
                g.writeNullField("rule");
            } else {
                g.writeObjectFieldStart("rule");
                g.writeStringField("name", site.rule().name());
                g.writeStringField("kind", site.rule().expected() ? "expected" : "leak");
                g.writeStringField("title", site.rule().title());
                g.writeStringField("explain", site.rule().explain());
                g.writeStringField("fix", site.rule().fix());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void cycles(JsonGenerator g) throws IOException {
        CycleReport c = report.cycles();
        if (c == null) {
            g.writeNullField("cycles");
            return;
        }
        g.writeObjectFieldStart("cycles");
        g.writeNumberField("count", c.cycles().size());
        g.writeNumberField("warmup", c.warmup());
        g.writeNumberField("steady_cycles", c.steadyCycles());
        g.writeNumberField("steady_bytes_per_cycle", c.steadyBytes());
        g.writeNumberField("steady_blocks_per_cycle", c.steadyBlocks());
        g.writeNumberField("min_bytes_per_cycle", c.minBytes());
        g.writeNumberField("max_bytes_per_cycle", c.maxBytes());
        g.writeNumberField("free_heap", c.freeHeap());
        g.writeStringField("free_heap_source", c.freeHeapSource());
        g.writeNumberField("cycles_left", c.cyclesLeft());
        outside(g, "before_first", c.before());
        outside(g, "in_grace", c.grace());
        g.writeArrayFieldStart("list");
        for (CycleReport.Cycle cycle : c.cycles()) {
            g.writeStartObject();
            g.writeNumberField("index", cycle.index());
            g.writeNumberField("start_ns", cycle.startNs());
            g.writeNumberField("end_ns", cycle.endNs());
            g.writeStringField("marker", cycle.marker());
            g.writeNumberField("leaked_blocks", cycle.leakedBlocks());
            g.writeNumberField("leaked_bytes", cycle.leakedBytes());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("sites");
        for (CycleReport.Site site : cut(c.sites())) {
            g.writeStartObject();
            g.writeNumberField("group", rankOfStack.getOrDefault(site.stack(), 0));
            g.writeStringField("pattern", site.pattern().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("cycles_leaking", site.cyclesLeaking());
            g.writeNumberField("bytes_per_cycle", site.bytesPerCycle());
            g.writeNumberField("total_bytes", site.totalBytes());
            g.writeNumberField("total_blocks", site.totalBlocks());
            callers(g, site.stack());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void timeline(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("timeline");
        for (Timeline.Point p : report.timeline()) {
            g.writeStartObject();
            g.writeNumberField("start_ns", p.startNs());
            g.writeNumberField("end_ns", p.endNs());
            g.writeNumberField("min", p.min());
            g.writeNumberField("max", p.max());
            g.writeNumberField("last", p.last());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The stacks the peaks section writes, for {@code caller_lines}. */
    private Set<Integer> peakStacks() {
        Set<Integer> out = new LinkedHashSet<>();
        PeakReport p = report.peaks();
        for (PeakReport.Moment m : moments(p)) {
            cut(m.sites()).forEach(site -> out.add(site.stack()));
        }
        p.failures().forEach(m -> out.add(m.what().stack()));
        cut(p.stackPeaks()).forEach(sp -> out.add(sp.stack()));
        cut(p.temporary().sites()).forEach(t -> out.add(t.stack()));
        return out;
    }

    private static List<PeakReport.Moment> moments(PeakReport p) {
        List<PeakReport.Moment> all = new ArrayList<>(p.failures());
        if (p.peak() != null) {
            all.add(p.peak());
        }
        if (p.lowWater() != null) {
            all.add(p.lowWater());
        }
        return all;
    }

    /** What held the memory: the live set at the peak, the low water and failed allocations; stack peaks, temporary allocations, sizes. */
    private void peaks(JsonGenerator g) throws IOException {
        PeakReport p = report.peaks();
        g.writeObjectFieldStart("peaks");
        g.writeFieldName("peak");
        moment(g, p.peak());
        g.writeFieldName("low_water");
        moment(g, p.lowWater());
        g.writeNumberField("failed_allocs", p.failedAllocs());
        g.writeArrayFieldStart("failures");
        for (PeakReport.Moment m : p.failures()) {
            moment(g, m);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("stack_peaks");
        for (PeakReport.StackPeak sp : cut(p.stackPeaks())) {
            g.writeStartObject();
            g.writeNumberField("stack_id", sp.stack());
            callers(g, sp.stack());
            g.writeNumberField("peak_bytes", sp.peakBytes());
            g.writeNumberField("peak_blocks", sp.peakBlocks());
            g.writeNumberField("end_bytes", sp.endBytes());
            g.writeEndObject();
        }
        g.writeEndArray();
        PeakReport.Temporary t = p.temporary();
        g.writeObjectFieldStart("temporary");
        g.writeStringField("rule", t.rule().describe());
        nullable(g, "within_allocations", t.rule().allocations());
        nullable(g, "within_ns", t.rule().nanos());
        g.writeNumberField("blocks", t.blocks());
        g.writeNumberField("bytes", t.bytes());
        g.writeNumberField("allocations", t.allocations());
        g.writeNumberField("site_count", t.siteCount());
        g.writeArrayFieldStart("sites");
        for (PeakReport.TemporarySite ts : cut(t.sites())) {
            g.writeStartObject();
            g.writeNumberField("stack_id", ts.stack());
            callers(g, ts.stack());
            g.writeNumberField("blocks", ts.blocks());
            g.writeNumberField("bytes", ts.bytes());
            g.writeNumberField("allocations", ts.allocations());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("sizes");
        sizeClasses(g, "allocated", p.allocated());
        sizeClasses(g, "live_at_peak", p.livePeak());
        g.writeEndObject();
        g.writeObjectFieldStart("block_cost");
        g.writeNumberField("header_bytes", PeakReport.HEADER_BYTES);
        g.writeNumberField("align", PeakReport.ALIGN);
        g.writeNumberField("min_block", PeakReport.MIN_BLOCK);
        g.writeArrayFieldStart("regions");
        for (PeakReport.RegionCost c : p.costs()) {
            g.writeStartObject();
            g.writeStringField("region", c.region().label());
            g.writeNumberField("blocks", c.blocks());
            g.writeNumberField("bytes", c.bytes());
            g.writeNumberField("overhead", c.overhead());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** An array of strings under {@code name}. */
    static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void nullable(JsonGenerator g, String field, long value) throws IOException {
        if (value < 0) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    private static void sizeClasses(JsonGenerator g, String field, List<PeakReport.SizeClass> classes) throws IOException {
        g.writeArrayFieldStart(field);
        for (PeakReport.SizeClass c : classes) {
            g.writeStartObject();
            g.writeNumberField("from", c.from());
            g.writeNumberField("to", c.to());
            g.writeNumberField("blocks", c.blocks());
            g.writeNumberField("bytes", c.bytes());
            g.writeNumberField("overhead", c.overhead());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** One moment's live set by call site, or null. */
    private void moment(JsonGenerator g, PeakReport.Moment m) throws IOException {
        if (m == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("kind", m.kind());
        g.writeNumberField("time_ns", m.timeNs());
        g.writeNumberField("live_bytes", m.liveBytes());
        g.writeNumberField("live_blocks", m.liveBlocks());
        if (m.what() != null && m.what().label() != null) {
            g.writeStringField("label", m.what().label());
            g.writeNumberField("free", m.what().free());
        }
        if (m.what() != null && m.what().label() == null) {
            g.writeNumberField("size", m.what().size());
            g.writeFieldName("failed_callers");
            addresses(g, m.what().stack());
        }
        g.writeBooleanField("split_known", m.split());
        g.writeNumberField("site_count", m.siteCount());
        g.writeArrayFieldStart("sites");
        for (PeakReport.Site site : cut(m.sites())) {
            g.writeStartObject();
            g.writeNumberField("stack_id", site.stack());
            callers(g, site.stack());
            Integer rank = rankOfStack.get(site.stack());
            if (rank == null) {
                g.writeNullField("group");
            } else {
                g.writeNumberField("group", rank);
            }
            g.writeNumberField("bytes", site.bytes());
            g.writeNumberField("blocks", site.blocks());
            g.writeNumberField("share", Math.round(10_000.0 * site.bytes() / Math.max(1, m.liveBytes())) / 10_000.0);
            nullable(g, "leak_bytes", site.leakBytes());
            nullable(g, "leak_blocks", site.leakBlocks());
            nullable(g, "transient_bytes", site.leakBytes() < 0 ? -1 : site.transientBytes());
            g.writeStringField("region", site.region().label());
            g.writeStringField("task", contexts.get(site.context()).name());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void incidents(JsonGenerator g) throws IOException {
        Incidents inc = report.incidents();
        g.writeObjectFieldStart("incidents");
        g.writeNumberField("corruption_count", inc.corruptionCount());
        g.writeArrayFieldStart("corruptions");
        for (Incidents.MatchedCorruption m : inc.corruptions()) {
            g.writeStartObject();
            corruptionFields(g, m.report());
            if (m.block() == null) {
                g.writeNullField("block");
            } else {
                g.writeObjectFieldStart("block");
                g.writeStringField("address", Units.hex(m.block().address()));
                g.writeNumberField("size", m.block().size());
                callers(g, m.block().stack());
                g.writeStringField("placement", m.placement().where().name().toLowerCase(Locale.ROOT));
                g.writeNumberField("distance", m.placement().bytes());
                g.writeBooleanField("freed", m.placement().freed() != null);
                if (m.placement().freed() != null) {
                    g.writeFieldName("free_callers");
                    addresses(g, m.placement().freed().stack());
                }
                g.writeStringField("description", DiagnosticLines.memoryError(m));
                g.writeEndObject();
            }
            if (m.crash() == null) {
                g.writeNullField("crash_line");
            } else {
                g.writeNumberField("crash_line", m.crash().line());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("crash_count", inc.crashCount());
        g.writeArrayFieldStart("crashes");
        for (Crash c : inc.crashes()) {
            g.writeStartObject();
            Units.core(g, "core", c.core());
            crashFields(g, c);
            if (frames.symbolic()) { // with --elf: the PC and each entry resolved (entries are PCs, not return addresses)
                if (c.pc() >= 0) {
                    g.writeFieldName("pc_frame");
                    frame(g, frames.pc(c.pc()), false);
                }
                g.writeArrayFieldStart("backtrace_frames");
                for (long pc : c.backtrace()) {
                    frame(g, frames.pc(pc), false);
                }
                g.writeEndArray();
            }
            crashHeap(g, crashHeaps.get(c.line()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("sample_count", inc.sampleCount());
        g.writeArrayFieldStart("samples");
        for (HeapSample h : inc.samples()) {
            g.writeStartObject();
            g.writeStringField("label", h.label());
            g.writeNumberField("line", h.line());
            if (h.timed()) {
                g.writeNumberField("time_ns", h.timeNs());
            } else {
                g.writeNullField("time_ns");
            }
            sampleFigures(g, h);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("trends");
        for (Trend t : report.trends()) {
            g.writeStartObject();
            g.writeStringField("label", t.label());
            g.writeNumberField("samples", t.samples());
            g.writeBooleanField("timed", t.timed());
            g.writeStringField("verdict", t.verdict().name().toLowerCase(Locale.ROOT));
            number(g, "slope", t.slope());
            number(g, "slope_low", t.slopeLow());
            number(g, "slope_high", t.slopeHigh());
            number(g, "noise", t.noise());
            number(g, "seconds_to_empty", t.secondsToEmpty());
            g.writeNumberField("first_free", t.firstFree());
            g.writeNumberField("last_free", t.lastFree());
            g.writeNumberField("lowest_free", t.lowest());
            number(g, "fragmentation", t.fragmentation());
            number(g, "fragmentation_drop", t.fragmentationDrop());
            if (t.largest() == null) {
                g.writeNullField("largest_free_block");
            } else {
                g.writeObjectFieldStart("largest_free_block");
                g.writeNumberField("first", t.largest().first());
                g.writeNumberField("last", t.largest().last());
                g.writeNumberField("lowest", t.largest().lowest());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Leaked blocks in no cycle, as an object named NAME. */
    private static void outside(JsonGenerator g, String name, CycleReport.Outside o) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("leaked_blocks", o.leakedBlocks());
        g.writeNumberField("leaked_bytes", o.leakedBytes());
        g.writeEndObject();
    }

    /** Opens a pretty-printed document with its schema and the tool that wrote it; the caller closes it. */
    static void header(JsonGenerator g, String schema, String version) throws IOException {
        g.useDefaultPrettyPrinter();
        open(g, schema, version);
    }

    static void open(JsonGenerator g, String schema, String version) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", schema);
        g.writeObjectFieldStart("tool");
        g.writeStringField("name", "heapscope");
        g.writeStringField("version", version);
        g.writeEndObject();
    }

    /** A heap reading's figures (-1: not printed), as the report and the event listing write them. */
    static void sampleFigures(JsonGenerator g, HeapSample h) throws IOException {
        g.writeNumberField("free", h.free());
        g.writeNumberField("min_free", h.minFree());
        g.writeNumberField("largest_free_block", h.largestFree());
        g.writeNumberField("allocated", h.allocated());
        g.writeNumberField("length", h.length());
        g.writeNumberField("alloc_blocks", h.allocBlocks());
        g.writeNumberField("free_blocks", h.freeBlocks());
        g.writeNumberField("total_blocks", h.totalBlocks());
    }

    /** A memory error's own fields, as the report and the event listing write them. */
    static void corruptionFields(JsonGenerator g, Corruption c) throws IOException {
        g.writeNumberField("line", c.line());
        g.writeStringField("source", c.kasan() ? "kasan" : "poisoning");
        g.writeStringField("kind", c.kind());
        g.writeStringField("address", Units.hex(c.address()));
        g.writeStringField("text", c.text());
        if (c.access() == null) {
            g.writeNullField("access");
        } else {
            g.writeObjectFieldStart("access");
            g.writeStringField("type", c.access().label());
            g.writeNumberField("size", c.access().size());
            if (c.access().nibble() >= 0) {
                g.writeStringField("shadow_nibble", String.format(Locale.ROOT, "0x%x", c.access().nibble()));
            } else {
                g.writeNullField("shadow_nibble");
            }
            g.writeEndObject();
        }
        hexOrNull(g, "expected", c.expected());
        hexOrNull(g, "actual", c.actual());
    }

    private static void hexOrNull(JsonGenerator g, String name, long v) throws IOException {
        if (v >= 0) {
            g.writeStringField(name, Units.hex(v));
        } else {
            g.writeNullField(name);
        }
    }

    /** A core dump's heap at the crash (docs/json-report.md): null when the dump, read with the ELF, told nothing of it. */
    static void crashHeap(JsonGenerator g, CrashHeap h) throws IOException {
        if (h == null || !h.any()) {
            g.writeNullField("heap_at_crash");
            return;
        }
        g.writeObjectFieldStart("heap_at_crash");
        g.writeStringField("other_firmware", h.otherFirmware());
        if (h.heap() instanceof HeapAtCrash.Walked w) {
            g.writeArrayFieldStart("regions");
            for (HeapRegion r : w.regions()) {
                g.writeStartObject();
                g.writeStringField("start", Units.hex(r.start()));
                g.writeStringField("end", Units.hex(r.end()));
                g.writeArrayFieldStart("caps");
                for (long cap : r.caps()) {
                    g.writeString(Units.hex(cap));
                }
                g.writeEndArray();
                g.writeNumberField("used_blocks", r.usedCount());
                g.writeNumberField("used_bytes", r.usedBytes());
                g.writeNumberField("free_blocks", r.freeCount());
                g.writeNumberField("free_bytes", r.walkedFreeBytes());
                g.writeNumberField("largest_free_block", r.largestFree());
                g.writeNumberField("minimum_free_bytes", r.minimumFree());
                g.writeStringField("walk_stopped", r.stopReason());
                g.writeEndObject();
            }
            g.writeEndArray();
            strings(g, "problems", w.problems());
            g.writeArrayFieldStart("allocated_by_size");
            for (HeapAtCrash.SizeClass c : w.liveBySize()) {
                g.writeStartObject();
                g.writeNumberField("size", c.size());
                g.writeNumberField("blocks", c.count());
                g.writeNumberField("bytes", c.bytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("poisoning", w.layout().poisoning() != null);
            g.writeArrayFieldStart("allocated_by_task");
            for (HeapAtCrash.Owner o : w.liveByOwner()) {
                g.writeStartObject();
                g.writeStringField("task", Units.hex(o.task()));
                g.writeNumberField("blocks", o.blocks());
                g.writeNumberField("bytes", o.bytes());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else {
            g.writeNullField("regions");
        }
        if (h.failed() != null) {
            g.writeObjectFieldStart("failed_allocation");
            g.writeNumberField("size", h.failed().size());
            if (h.failed().caps() >= 0) {
                g.writeStringField("caps", Units.hex(h.failed().caps()));
            } else {
                g.writeNullField("caps");
            }
            g.writeStringField("verdict", h.failed().why().kind().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("regions", h.failed().why().regions());
            g.writeNumberField("free_bytes", h.failed().why().free());
            g.writeNumberField("largest_free_block", h.failed().why().largest());
            g.writeEndObject();
        } else {
            g.writeNullField("failed_allocation");
        }
        if (h.trace() instanceof HeapTrace.Read t) {
            g.writeObjectFieldStart("trace");
            g.writeStringField("mode", t.leaksMode() == null ? null : t.leaksMode() ? "leaks" : "all");
            if (t.tracing() == null) {
                g.writeNullField("tracing");
            } else {
                g.writeBooleanField("tracing", t.tracing());
            }
            g.writeNumberField("records", t.records().size());
            g.writeNumberField("capacity", t.capacity());
            g.writeNumberField("high_water_mark", t.highWaterMark());
            g.writeBooleanField("overflowed", t.overflowed());
            g.writeNumberField("allocations", t.allocations());
            g.writeNumberField("frees", t.frees());
            strings(g, "warnings", t.warnings());
            g.writeArrayFieldStart("sites");
            for (TraceSites.Site site : h.sites()) {
                g.writeStartObject();
                g.writeStringField("function", site.site() == null ? null : site.site().function());
                g.writeStringField("file", site.site() == null ? null : site.site().file());
                g.writeNumberField("line", site.site() == null ? 0 : site.site().line());
                g.writeStringField("address", site.site() == null ? Units.hex(site.first()) : null);
                strings(g, "callers", site.callers());
                g.writeNumberField("bytes", site.bytes());
                g.writeNumberField("blocks", site.blocks());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } else {
            g.writeNullField("trace");
        }
        g.writeEndObject();
    }

    /** The fields of a crash, shared with the event listing. */
    static void crashFields(JsonGenerator g, Crash c) throws IOException {
        g.writeNumberField("line", c.line());
        g.writeStringField("kind", c.kind().label());
        g.writeStringField("reason", c.reason());
        g.writeStringField("task", c.task());
        if (c.pc() >= 0) {
            g.writeStringField("pc", Units.hex(c.pc()));
        } else {
            g.writeNullField("pc");
        }
        g.writeObjectFieldStart("registers");
        for (Crash.Register r : c.registers()) {
            g.writeStringField(r.name(), Units.hex(r.value()));
        }
        g.writeEndObject();
        g.writeArrayFieldStart("backtrace");
        for (long pc : c.backtrace()) {
            g.writeString(Units.hex(pc));
        }
        g.writeEndArray();
        g.writeBooleanField("truncated", c.truncated());
        g.writeStringField("backtrace_end", c.end().label());
        if (c.nestedIn() >= 0) {
            g.writeNumberField("nested_in_line", c.nestedIn());
        } else {
            g.writeNullField("nested_in_line");
        }
        if (c.printedAt() >= 0) {
            g.writeNumberField("printed_line", c.printedAt());
        } else {
            g.writeNullField("printed_line");
        }
    }

    /** JSON has no NaN or infinity: those are written as null. */
    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private void diagnostics(JsonGenerator g) throws IOException {
        Diagnostics d = report.diagnostics();
        g.writeObjectFieldStart("diagnostics");
        g.writeObjectFieldStart("unmatched_frees");
        g.writeNumberField("count", d.unmatchedFrees());
        g.writeArrayFieldStart("examples");
        for (var e : d.unmatchedFreeExamples()) {
            event(g, e.address(), e.timeNs(), e.core(), e.context(), e.stack());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("duplicate_allocations");
        g.writeNumberField("count", d.duplicateAllocs());
        g.writeArrayFieldStart("examples");
        for (var e : d.duplicateAllocExamples()) {
            event(g, e.address(), e.timeNs(), e.core(), e.context(), e.stack());
            g.writeNumberField("previous_size", e.previousSize());
            g.writeNumberField("previous_time_ns", e.previousTimeNs());
            g.writeFieldName("previous_callers");
            addresses(g, e.previousStack());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("frees_inside_blocks");
        g.writeNumberField("count", d.freesInsideBlocks());
        g.writeArrayFieldStart("examples");
        for (var e : d.freeInsideBlockExamples()) {
            event(g, e.address(), e.timeNs(), e.core(), e.context(), e.stack());
            g.writeStringField("block_address", Units.hex(e.blockAddress()));
            g.writeNumberField("block_size", e.blockSize());
            g.writeFieldName("block_callers");
            addresses(g, e.blockStack());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("failed_allocations");
        g.writeNumberField("count", d.failedAllocs());
        g.writeNumberField("bytes", d.failedAllocBytes());
        g.writeArrayFieldStart("examples");
        for (var e : d.failedAllocExamples()) {
            g.writeStartObject();
            g.writeNumberField("size", e.size());
            g.writeNumberField("time_ns", e.timeNs());
            Units.core(g, "core", e.core());
            g.writeStringField("task", contexts.get(e.context()).name());
            callers(g, e.stack());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeNumberField("null_frees", d.nullFrees());
        g.writeNumberField("reordered_pairs", d.reorderedPairs());
        g.writeNumberField("overflows", d.overflows());
        g.writeNumberField("dropped_events", d.droppedEvents());
        g.writeArrayFieldStart("warnings");
        for (Warning w : report.recording().warnings()) {
            g.writeStartObject();
            g.writeStringField("source", w.source());
            g.writeStringField("unit", w.unit().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("position", w.position());
            g.writeStringField("message", w.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("suppressed_warnings", report.recording().suppressedWarnings());
        g.writeEndObject();
    }

    /** Opens an object with the fields every diagnostic event has; the caller closes it. */
    private void event(JsonGenerator g, long address, long timeNs, int core, int context, int stack) throws IOException {
        g.writeStartObject();
        g.writeStringField("address", Units.hex(address));
        g.writeNumberField("time_ns", timeNs);
        Units.core(g, "core", core);
        g.writeStringField("task", contexts.get(context).name());
        callers(g, stack);
    }

    /** Per caller, its source frames innermost first (looked up at the call instruction, see {@link FrameTable}). */
    private void frames(JsonGenerator g, int stack) throws IOException {
        g.writeArrayFieldStart("frames");
        int recorded = stacks.depth(stack) - stacks.inferred(stack);
        for (int k = 0; k < stacks.depth(stack); k++) {
            frame(g, stacks.frame(stack, k), k >= recorded);
        }
        g.writeEndArray();
        long[] candidates = stacks.candidates(stack);
        if (candidates.length > 0) { // the next outer frame is one of these call sites
            g.writeArrayFieldStart("caller_candidates");
            for (long c : candidates) {
                frame(g, c, true);
            }
            g.writeEndArray();
        }
    }

    /** One caller: its address and source frames; INFERRED marks one found from the call graph, not recorded. */
    private void frame(JsonGenerator g, long address, boolean inferred) throws IOException {
        frame(g, this.frames.caller(address), inferred);
    }

    /** One resolved address (a caller's, or a PC's): the address as captured and its source frames. */
    private static void frame(JsonGenerator g, FrameTable.Resolved r, boolean inferred) throws IOException {
        g.writeStartObject();
        g.writeStringField("address", Units.hex(r.address()));
        if (inferred) {
            g.writeBooleanField("inferred", true);
        }
        g.writeBooleanField("in_elf", r.inElf());
        if (r.fromLog()) { // idf.py monitor's decoded lines, there being no ELF
            g.writeStringField("named_by", "log");
        }
        if (r.symbol().isPresent()) { // code without debug information: named by the symbol table alone
            g.writeNumberField("symbol_offset", r.symbol().get().offset());
            g.writeStringField("object", r.object());
        }
        g.writeArrayFieldStart("frames");
        for (Frame f : r.frames()) {
            g.writeStartObject();
            g.writeStringField("function", f.function());
            g.writeStringField("file", f.file());
            g.writeNumberField("line", f.line());
            g.writeBooleanField("inlined", f.inlined());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void callers(JsonGenerator g, int stack) throws IOException {
        g.writeFieldName("callers");
        addresses(g, stack);
        if (stacks.inferred(stack) > 0) { // the outermost of them came from the call graph, not the device
            g.writeNumberField("inferred_callers", stacks.inferred(stack));
        }
    }

    private void addresses(JsonGenerator g, int stack) throws IOException {
        g.writeStartArray();
        for (int k = 0; k < stacks.depth(stack); k++) {
            g.writeString(Units.hex(stacks.frame(stack, k)));
        }
        g.writeEndArray();
    }

    private static void context(JsonGenerator g, Context c) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("kind", kind(c));
        g.writeEndObject();
    }

    static String kind(Context c) {
        return c.kind().name().toLowerCase(Locale.ROOT);
    }
}
