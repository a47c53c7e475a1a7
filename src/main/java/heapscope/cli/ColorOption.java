package heapscope.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --color, the same for every command that colours its output. */
final class ColorOption {
    @Option(names = "--color", defaultValue = "auto", paramLabel = "WHEN", description = "auto (default), always or never")
    Common.Color color = Common.Color.auto;

    /** Whether to colour what goes to OUTPUT (null: standard output). */
    boolean on(Path output) {
        return Common.color(color, output);
    }
}
