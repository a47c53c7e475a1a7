package heapscope.cli;

import heapscope.analysis.Findings;
import heapscope.capture.Captures;
import heapscope.analysis.ReportSettings;
import heapscope.export.Exporter;
import heapscope.source.InputException;
import heapscope.source.OutputFiles;
import heapscope.trace.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the leaks of a capture in a format other tools read (pprof, folded stacks, speedscope, Chrome).",
                "See docs/exports.md."},
        footer = {"", "Exit status: 0 written, 2 unusable input or arguments, 1 internal error."})
final class ExportCommand implements Callable<Integer>, FormatHelp {
    @Mixin
    StrictOption strict;

    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "the format to write (listed above)")
    String format;

    @Option(names = "--elf", paramLabel = "FILE", description = "firmware ELF: functions, files and lines (inline frames included) instead of addresses")
    Path elf;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map for regions when the capture does not name it (esp32, esp32s3, ...)")
    String chip;

    @Option(names = "--cycle", paramLabel = "REGEX", description = "log lines or trace print events matching this start a cycle of work: cycle labels and markers")
    String cycle;

    @Option(names = "--allocators", paramLabel = "FILE", description = "more allocator functions (see analyze --help): pprof drops them from the stacks")
    Path allocators;

    @Mixin
    StacksOptions stacks;

    @Override
    public Map<String, String> formats() {
        return FormatHelp.of(Exporter.ALL);
    }

    @Override
    public Integer call() throws Exception {
        Exporter exporter = Exporter.named(format);
        if (exporter.binary() && OutputFiles.standardOutput(capture.output) && Common.terminal()) {
            throw new InputException(exporter.name() + " is gzip-compressed binary: not writing it to a terminal; use -o FILE or redirect it");
        }
        OutputFiles.check(OutputFiles.inputs(capture.inputs, elf, allocators), new OutputFiles.Target("-o", capture.output));
        FindingsOptions options = new FindingsOptions();
        options.stacks = stacks;
        options.allocators = allocators;
        ReportSettings settings = options.settings(elf, chip, cycle);
        Findings found;
        try (EventReader reader = Captures.openSpecs(capture.specs(), capture.settings(false, settings.cycleMarker() != null))) {
            found = Findings.of(reader, settings);
        }
        Common.notices(found);
        strict.warnings(found.report().recording());
        String title = "heapscope " + Common.version() + ": " + String.join(" ", capture.inputs);
        if (OutputFiles.standardOutput(capture.output)) { // standard output is flushed, not closed
            OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
            exporter.write(found, title, out);
            out.flush();
        } else {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(capture.output), 1 << 16)) {
                exporter.write(found, title, out);
            }
        }
        return strict.status(0, found.report().recording());
    }
}
