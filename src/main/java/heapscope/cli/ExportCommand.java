package heapscope.cli;

import heapscope.analysis.Findings;
import heapscope.capture.CaptureSettings;
import heapscope.capture.Captures;
import heapscope.analysis.LeakReport;
import heapscope.analysis.ReportSettings;
import heapscope.export.Binary;
import heapscope.export.ChromeTraceExport;
import heapscope.export.FoldedExport;
import heapscope.export.PprofExport;
import heapscope.export.SpeedscopeExport;
import heapscope.export.StackFrames;
import heapscope.source.OutputFiles;
import heapscope.symbols.FrameTable;
import heapscope.trace.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the leaks of a capture in a format other tools read (pprof, folded stacks, speedscope, Chrome).",
                "",
                "  pprof       gzipped profile.proto for go tool pprof (inuse/alloc space and objects, labels)",
                "  folded      folded stacks for flamegraph.pl (leaked bytes per call stack)",
                "  speedscope  speedscope JSON (leaked and allocated bytes per call stack)",
                "  chrome      Chrome trace event JSON for Perfetto or chrome://tracing (heap timeline, cycles, leaks)",
                "See docs/exports.md."},
        footer = {"", "Exit status: 0 written, 2 unusable input or arguments, 1 internal error."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "pprof, folded, speedscope or chrome")
    String format;

    @Option(names = "--elf", paramLabel = "FILE", description = "firmware ELF: functions, files and lines (inline frames included) instead of addresses")
    Path elf;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map for regions when the capture does not name it (esp32, esp32s3, ...)")
    String chip;

    @Option(names = "--cycle", paramLabel = "REGEX", description = "log lines or trace print events matching this start a cycle of work: cycle labels and markers")
    String cycle;

    @Override
    public Integer call() throws Exception {
        CaptureOptions.checkFormat(format, "pprof", "folded", "speedscope", "chrome");
        OutputFiles.check(OutputFiles.inputs(capture.inputs, elf), new OutputFiles.Target("-o", capture.output));
        ReportSettings settings = new FindingsOptions().settings(elf, chip, cycle);
        Findings found;
        try (EventReader reader = Captures.open(capture.inputs, new CaptureSettings(false, settings.cycleMarker() != null, capture.samplePatterns(), false))) {
            found = Findings.of(reader, settings);
        }
        Common.notices(found);
        Common.warnings(found.report().recording());
        if (OutputFiles.standardOutput(capture.output)) { // standard output is flushed, not closed
            OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
            write(found, out);
            out.flush();
        } else {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(capture.output), 1 << 16)) {
                write(found, out);
            }
        }
        return 0;
    }

    private void write(Findings found, OutputStream out) throws java.io.IOException {
        String title = "heapscope " + Common.version() + ": " + String.join(" ", capture.inputs);
        LeakReport report = found.report();
        FrameTable table = found.frames();
        StackFrames frames = new StackFrames(report.recording().stacks(), table.symbolic() ? table::callerFrames : null);
        switch (format) {
            case "pprof" -> new PprofExport(report, frames, table.symbolic() ? Binary.of(table.elf()) : null, table::inImage, title).write(out);
            case "folded" -> new FoldedExport(report, frames).write(out);
            case "speedscope" -> new SpeedscopeExport(report, frames, title).write(out);
            default -> new ChromeTraceExport(report, frames, title).write(out);
        }
    }
}
