package heapscope.cli;

import heapscope.report.EventPrinter;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Warning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the decoded events of a capture, one per line, in time order.",
                "By default heap events, log messages and overflows; --all adds context switches, interrupts and",
                "every other SystemView packet. Decoder warnings go to standard error."},
        footer = {"", "Exit status: 0 listed, 2 unusable input or arguments, 1 internal error."})
final class EventsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "capture file(s), '-' or tcp://host:port")
    List<String> inputs;

    @Option(names = "--all", description = "include non-heap SystemView events")
    boolean all;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text (default) or jsonl (one JSON object per line)")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("jsonl")) {
            throw new heapscope.source.InputException("unknown --format '" + format + "' (text or jsonl)");
        }
        try (EventReader reader = Common.open(inputs, all); PrintWriter out = Common.output(output)) {
            EventPrinter printer = new EventPrinter(reader.recording(), format.equals("jsonl"));
            for (Event e = reader.next(); e != null; e = reader.next()) {
                printer.print(e, out);
            }
            out.flush();
            for (Warning w : reader.recording().warnings()) {
                System.err.println("heapscope: warning: " + heapscope.report.Escape.terminal(w.format()));
            }
        }
        return 0;
    }
}
