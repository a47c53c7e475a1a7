package heapscope.cli;

import heapscope.capture.CaptureSettings;
import heapscope.capture.Captures;
import heapscope.report.EventPrinter;
import heapscope.source.OutputFiles;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the decoded events of a capture, one per line, in time order.",
                "By default heap events, log messages and overflows; --all adds context switches, interrupts and "
                        + "every other SystemView packet.",
                "Decoder warnings go to standard error."},
        footer = {"", "Exit status: 0 listed, 141 standard output closed by its reader (events ... | head: the listing "
                + "stops there), 2 unusable input or arguments, 1 internal error."})
final class EventsCommand implements Callable<Integer> {
    @Mixin
    StrictOption strict;

    @Mixin
    CaptureOptions capture;

    @Option(names = "--all", description = "include non-heap SystemView events")
    boolean all;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text (default) or jsonl (one JSON object per line)")
    String format;

    @Override
    public Integer call() throws Exception {
        CaptureOptions.checkFormat(format, "text", "jsonl");
        OutputFiles.check(OutputFiles.inputs(capture.inputs),
                new OutputFiles.Target("-o", capture.output));
        WatchedOutput stdout = OutputFiles.standardOutput(capture.output) ? new WatchedOutput(System.out) : null;
        try (EventReader reader = Captures.openSpecs(capture.specs(), new CaptureSettings(all, all, capture.samplePatterns(), false));
             PrintWriter out = stdout == null ? Common.output(capture.output)
                     : new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false)) {
            EventPrinter printer = new EventPrinter(reader.recording(), format.equals("jsonl"));
            for (Event e = reader.next(); e != null; e = reader.next()) {
                printer.print(e, out);
                if (stdout != null && stdout.closed()) {
                    return WatchedOutput.BROKEN_PIPE; // nobody reads on: stop quietly
                }
            }
            out.flush();
            if (stdout != null && stdout.closed()) {
                return WatchedOutput.BROKEN_PIPE;
            }
            strict.warnings(reader.recording());
            return strict.status(0, reader.recording());
        }
    }
}
