package heapscope.cli;

import heapscope.source.InputException;
import heapscope.source.InputSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The capture to read and where to write, shared by the commands that read captures. */
final class CaptureOptions {
    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "capture file(s), '-' for standard input, "
            + "tcp://host:port to connect to a stream, or tcp-listen://:port to wait for one (OpenOCD's esp sysview start tcp://...)")
    List<String> inputs;

    @Mixin
    LiveOptions live;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output ('-': standard output); never an input")
    Path output;

    @Option(names = "--sample", paramLabel = "REGEX", description = "a line of the application's own giving free-heap figures, in a serial "
            + "log or a trace's printed messages, as a regex with named groups free, min_free, largest, allocated and "
            + "optionally label (e.g. 'heap left (?<free>\\d+)'); may be repeated")
    List<String> samples = List.of();

    /** The inputs, live ones ending as --idle-timeout says. */
    List<InputSpec> specs() {
        return live.specs(inputs);
    }

    /** The --sample regexes, compiled; a malformed one is an input error. */
    List<Pattern> samplePatterns() {
        List<Pattern> patterns = new ArrayList<>();
        for (String s : samples) {
            try {
                patterns.add(Pattern.compile(s));
            } catch (PatternSyntaxException e) {
                throw new InputException("--sample: not a regex: " + e.getDescription() + " in '" + s + "'");
            }
        }
        return patterns;
    }

    /** Rejects a --format value the command does not know. */
    static void checkFormat(String format, String... known) {
        if (!Arrays.asList(known).contains(format)) {
            throw new InputException("unknown --format '" + format + "' (" + String.join(" or ", known) + ")");
        }
    }
}
