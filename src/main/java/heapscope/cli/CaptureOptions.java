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

    @Option(names = "--sample", paramLabel = "REGEX", description = {"serial logs: a line of the application's own giving free-heap figures,",
            "as a regex with named groups free, min_free, largest, allocated and optionally label",
            "(e.g. 'heap left (?<free>\\d+)'); may be repeated"})
    List<String> samples = List.of();

    /** The --sample regexes, compiled; a malformed one is an input error. */
    List<java.util.regex.Pattern> samplePatterns() {
        List<java.util.regex.Pattern> patterns = new java.util.ArrayList<>();
        for (String s : samples) {
            try {
                patterns.add(java.util.regex.Pattern.compile(s));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new heapscope.source.InputException("--sample: not a regex: " + e.getDescription() + " in '" + s + "'");
            }
        }
        return patterns;
    }

    /** Rejects a --format value the command does not know. */
    static void checkFormat(String format, String... known) {
        if (!java.util.Arrays.asList(known).contains(format)) {
            throw new heapscope.source.InputException("unknown --format '" + format + "' (" + String.join(" or ", known) + ")");
        }
    }
}
