package heapscope.cli;

import heapscope.analysis.Budgets;
import heapscope.analysis.LeakAnalysis;
import heapscope.capture.CaptureSettings;
import heapscope.capture.Captures;
import heapscope.analysis.LeakReport;
import heapscope.analysis.SiteAnalysis;
import heapscope.analysis.SiteData;
import heapscope.analysis.SiteReport;
import heapscope.report.FrameRenderer;
import heapscope.report.JUnitReport;
import heapscope.report.JsonReport;
import heapscope.report.Style;
import heapscope.symbols.FrameTable;
import heapscope.symbols.Symbolizer;
import heapscope.report.TextReport;
import heapscope.source.OutputFiles;
import heapscope.trace.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finds the heap blocks allocated in a capture and not freed by its end, grouped by call stack.",
                "",
                "INPUT is either:",
                "- a SystemView trace (.svdat) written by OpenOCD from ESP-IDF host-mode heap tracing: one file per core "
                        + "(give them in core order: cpu0.svdat cpu1.svdat), a single multi-core file (ESP_Extension or "
                        + "SEGGER V3.60 layout), '-' for standard input, or tcp://host:port for OpenOCD's live stream; or",
                "- a serial log (idf.py monitor output, a terminal capture, a pasted excerpt) with heap_trace_dump() "
                        + "output, free-heap prints, heap_caps_print_heap_info(), heap corruption reports or panics "
                        + "(docs/log-formats.md lists every format read)."},
        footer = {"", "Exit status: 0 report written (and every budget met), 3 a leak budget exceeded, "
                + "2 unusable input or arguments, 1 internal error."})
final class AnalyzeCommand implements Callable<Integer> {
    /** Exit status when a leak budget is exceeded: distinct from errors, so CI can tell "leaks" from "broken". */
    static final int BUDGET_EXCEEDED = 3;

    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text (default), json or html (one self-contained page, see docs/html-report.md)")
    String format;

    @Option(names = "--elf", paramLabel = "FILE", description = "firmware ELF: show every frame as function at file:line, inline frames included")
    Path elf;

    @Option(names = "--map", paramLabel = "FILE", description = "with --elf: the firmware's link map (build/<app>.map), for the library of each site")
    Path map;

    @Option(names = "--allocators", paramLabel = "FILE", description = "with --elf: more allocator functions, one pattern a line (see docs/analysis.md)")
    Path allocators;

    @Option(names = "--rules", paramLabel = "FILE", description = "with --elf: more known leak signatures (see docs/analysis.md)")
    Path rules;

    @Option(names = "--suppress", paramLabel = "FILE", description = "accepted leaks, one leak:PATTERN a line (LeakSanitizer format): kept out of budgets")
    Path suppress;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map for regions when the capture does not name it (esp32, esp32s3, esp32c3, ...)")
    String chip;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N", description = "call stacks shown in full in the text report, 0 for all (default 20)")
    int top;

    @Option(names = "--blocks", description = "also list every leaked block, one line each")
    boolean blocks;

    @Option(names = "--cycle", paramLabel = "REGEX", description = "log lines or trace print events matching this start a cycle of "
            + "work (e.g. 'New connection'): leaks per cycle, the steady leak per cycle, and a forecast")
    String cycle;

    @Option(names = "--grace", defaultValue = "0", paramLabel = "TIME", description = "with --cycle: ignore blocks allocated this close to the end (e.g. 5s, 500ms)")
    String grace;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N", description = "with --cycle: leading cycles left out of the steady state (default 1)")
    int warmup;

    @Option(names = "--free-heap", paramLabel = "BYTES", description = "with --cycle: free heap to forecast from (default: lowest reading in the capture)")
    String freeHeap;

    @Option(names = "--max-leaked-bytes", paramLabel = "BYTES", description = "budget: exit with status 3 when more bytes leak (BYTES: e.g. 4096, 64k, 2M)")
    String maxLeakedBytes;

    @Option(names = "--max-leak-per-cycle", paramLabel = "BYTES", description = "budget: exit with status 3 when the steady leak per --cycle is larger")
    String maxLeakPerCycle;

    @Option(names = "--max-site-bytes", paramLabel = "BYTES", description = "budget: exit with status 3 when one call stack leaks more")
    String maxSiteBytes;

    @Option(names = "--junit", paramLabel = "FILE", description = "write the budget checks as JUnit XML for CI")
    Path junit;

    @Option(names = "--color", defaultValue = "auto", paramLabel = "WHEN", description = "auto (default), always or never")
    Common.Color color;

    @Override
    public Integer call() throws Exception {
        CaptureOptions.checkFormat(format, "text", "json", "html");
        OutputFiles.check(OutputFiles.inputs(capture.inputs, elf, map, allocators, rules, suppress),
                new OutputFiles.Target("-o", capture.output), new OutputFiles.Target("--junit", junit));
        LeakReport report;
        java.util.regex.Pattern marker = cycle == null ? null : Common.regex("--cycle", cycle);
        if (warmup < 0) {
            throw new heapscope.source.InputException("--warmup must be 0 or more");
        }
        if (maxLeakPerCycle != null && marker == null) {
            throw new heapscope.source.InputException("--max-leak-per-cycle needs --cycle REGEX to mark the cycles");
        }
        Budgets budgets = new Budgets(Common.bytes("--max-leaked-bytes", maxLeakedBytes),
                Common.bytes("--max-leak-per-cycle", maxLeakPerCycle), Common.bytes("--max-site-bytes", maxSiteBytes));
        LeakAnalysis analysis = new LeakAnalysis(Common.chip(chip), marker, new heapscope.analysis.CycleAnalysis.Options(
                Common.duration("--grace", grace), warmup, Common.bytes("--free-heap", freeHeap)));
        try (EventReader reader = Captures.open(capture.inputs, new CaptureSettings(false, marker != null, capture.samplePatterns(), false))) {
            report = analysis.read(reader);
        }
        Symbolizer symbolizer = elf == null ? null : Common.symbolizer(elf, report.recording());
        FrameTable table = FrameTable.of(symbolizer, report.chip());
        FrameRenderer frames = FrameRenderer.of(table);
        heapscope.symbols.LinkMap linkMap = map == null ? null : heapscope.symbols.LinkMap.read(map);
        SiteReport sites = symbolizer == null ? null : SiteAnalysis.of(report, table::callerFrames, SiteData.load(allocators, rules),
                address -> linkMap == null ? null : linkMap.component(FrameTable.callInstruction(address)).orElse(null));
        java.util.Map<Integer, String> suppressed = heapscope.analysis.Suppressions.load(suppress)
                .match(report, symbolizer == null ? null : table::callerFrames);
        List<Budgets.Check> checks = budgets.check(report, suppressed);
        try (PrintWriter out = Common.output(capture.output)) {
            if (format.equals("json")) {
                new JsonReport(report, Common.version(), table, sites, suppressed).write(out);
            } else if (format.equals("html")) {
                new heapscope.report.HtmlReport(report, new heapscope.report.HtmlReport.Options(Common.version(), frames,
                        symbolizer == null ? null : heapscope.report.HtmlReport.functionNames(table), sites, suppressed)).write(out);
            } else {
                new TextReport(report, new TextReport.Options(top, blocks, new Style(Common.color(color, capture.output)), frames, sites, suppressed)).write(out);
            }
        }
        if (junit != null) {
            try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(junit)) {
                JUnitReport.write(checks, report.recording().conditions(), String.join(" ", capture.inputs), w);
            }
        }
        return Common.budgetStatus(checks);
    }
}
