package heapscope.cli;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.report.FrameRenderer;
import heapscope.report.JsonReport;
import heapscope.report.Style;
import heapscope.report.TextReport;
import heapscope.trace.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        description = {"Finds the heap blocks allocated in a capture and not freed by its end, grouped by call stack.",
                "",
                "INPUT is a SystemView trace (.svdat) written by OpenOCD from ESP-IDF host-mode heap tracing:",
                "  one file per core (give them in core order: cpu0.svdat cpu1.svdat), a single multi-core file",
                "  (ESP_Extension or SEGGER V3.60 layout), '-' for standard input, or tcp://host:port for",
                "  OpenOCD's live stream."},
        footer = {"", "Exit status: 0 report written, 2 unusable input or arguments, 1 internal error."})
final class AnalyzeCommand implements Callable<Integer> {
    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text (default) or json")
    String format;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map for regions when the capture does not name it (esp32, esp32s3, esp32c3, ...)")
    String chip;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N", description = "call stacks shown in full in the text report, 0 for all (default 20)")
    int top;

    @Option(names = "--blocks", description = "also list every leaked block, one line each")
    boolean blocks;

    @Option(names = "--color", defaultValue = "auto", paramLabel = "WHEN", completionCandidates = Common.ColorCandidates.class,
            description = "auto (default), always or never")
    String color;

    @Override
    public Integer call() throws Exception {
        CaptureOptions.checkFormat(format, "text", "json");
        LeakReport report;
        try (EventReader reader = Common.open(capture.inputs, false, capture.samplePatterns())) {
            report = LeakAnalysis.run(reader, Common.chip(chip));
        }
        try (PrintWriter out = Common.output(capture.output)) {
            if (format.equals("json")) {
                new JsonReport(report, Common.version()).write(out);
            } else {
                new TextReport(report, new TextReport.Options(top, blocks, new Style(Common.color(color, capture.output)),
                        FrameRenderer.raw(report.chip()))).write(out);
            }
        }
        return 0;
    }
}
