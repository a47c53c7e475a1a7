package heapscope.cli;

import heapscope.analysis.StackOptions;
import heapscope.source.InputException;
import picocli.CommandLine.Option;

/** What happens to the recorded call stacks before the analysis, shared by the commands that report leaks. */
final class StacksOptions {
    @Option(names = "--stack-depth", paramLabel = "N", description = "cut every recorded call stack to its innermost N frames before the analysis, to see what a capture with CONFIG_HEAP_TRACING_STACK_DEPTH=N would give")
    Integer depth;

    @Option(names = "--no-complete", description = "with --elf: do not extend call stacks outward from the firmware's call graph (inferred frames, marked ~)")
    boolean noComplete;

    StackOptions get() {
        if (depth != null && depth < 0) {
            throw new InputException("--stack-depth must be 0 or more");
        }
        return new StackOptions(depth == null ? -1 : depth, !noComplete);
    }
}
