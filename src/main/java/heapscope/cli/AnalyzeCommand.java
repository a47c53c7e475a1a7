package heapscope.cli;

import heapscope.analysis.Findings;
import heapscope.analysis.ReportSettings;
import heapscope.capture.Captures;
import heapscope.report.Renderer;
import heapscope.source.OutputFiles;
import heapscope.trace.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finds the heap blocks allocated in a capture and not freed by its end, grouped by call stack.",
                "",
                "INPUT is either:",
                "- a SystemView trace (.svdat) written by OpenOCD from ESP-IDF host-mode heap tracing: one file per core "
                        + "(give them in core order: cpu0.svdat cpu1.svdat), a single multi-core file (ESP_Extension or "
                        + "SEGGER V3.60 layout), '-' for standard input, or OpenOCD's live stream: tcp-listen://:53535 waits for "
                        + "'esp sysview start tcp://HOST:53535' to connect (tcp://host:port connects to a server instead); or",
                "- a serial log (idf.py monitor output, a terminal capture, a pasted excerpt) with heap_trace_dump() "
                        + "output, free-heap prints, heap_caps_print_heap_info(), heap corruption reports or panics "
                        + "(docs/log-formats.md lists every format read)."},
        footer = {"", "A live input ends when its peer closes it, when the connection is lost (the report says the capture "
                + "is incomplete), after --idle-timeout, or on Ctrl-C: the report covers what came.",
                "", "Exit status: 0 report written (and every budget met), 3 a leak budget exceeded, "
                + "2 unusable input or arguments, 1 internal error; 130 (143) after the report when Ctrl-C (SIGTERM) "
                + "stopped a live input."})
final class AnalyzeCommand implements Callable<Integer>, FormatHelp {
    /** Exit status when a leak budget is exceeded: distinct from errors, so CI can tell "leaks" from "broken". */
    static final int BUDGET_EXCEEDED = 3;

    @Mixin
    StrictOption strict;

    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "report format (listed above; default text)")
    String format;

    @Option(names = "--elf", paramLabel = "FILE", description = "firmware ELF: show every frame as function at file:line, inline frames included")
    Path elf;

    @Mixin
    FindingsOptions findings;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map for regions when the capture does not name it (esp32, esp32s3, esp32c3, ...)")
    String chip;

    @Option(names = "--cycle", paramLabel = "REGEX", description = "log lines or trace print events matching this start a cycle of "
            + "work (e.g. 'New connection'): leaks per cycle, the steady leak per cycle, and a forecast")
    String cycle;

    @Mixin
    ColorOption color;

    @Override
    public Map<String, String> formats() {
        return FormatHelp.of(Renderer.ALL);
    }

    @Override
    public Integer call() throws Exception {
        Renderer renderer = Renderer.named(format);
        OutputFiles.check(OutputFiles.inputs(capture.inputs, elf, findings.map, findings.allocators, findings.rules, findings.suppress),
                new OutputFiles.Target("-o", capture.output), new OutputFiles.Target("--junit", findings.junit));
        ReportSettings settings = findings.settings(elf, chip, cycle);
        Findings found;
        try (EventReader reader = Captures.openSpecs(capture.specs(), capture.settings(false, settings.cycleMarker() != null))) {
            found = Findings.of(reader, settings);
        }
        Common.notices(found);
        try (PrintWriter out = Common.output(capture.output)) {
            renderer.write(found, findings.context(color.on(capture.output), capture.inputs), out);
        }
        findings.junit(found, capture.inputs);
        return strict.status(Common.budgetStatus(found.checks()), found.report().recording());
    }
}
