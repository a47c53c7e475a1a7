package heapscope.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** The capture to read and where to write, shared by the commands that read captures. */
final class CaptureOptions {
    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "capture file(s), '-' for standard input or tcp://host:port")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output")
    Path output;

    /** Rejects a --format value the command does not know. */
    static void checkFormat(String format, String... known) {
        if (!java.util.Arrays.asList(known).contains(format)) {
            throw new heapscope.source.InputException("unknown --format '" + format + "' (" + String.join(" or ", known) + ")");
        }
    }
}
