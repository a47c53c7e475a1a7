package heapscope.cli;

import heapscope.analysis.CycleAnalysis;
import heapscope.source.InputException;
import picocli.CommandLine.Option;

/**
 * How the cycles of --cycle are counted, for every command that measures a leak per cycle (analyze, the monitor,
 * diff), so that a diff's figure per cycle is the one analyze prints for each capture.
 */
final class CycleOptions {
    @Option(names = "--grace", defaultValue = "0", paramLabel = "TIME", description = "with --cycle: ignore blocks allocated this close to the end (e.g. 5s, 500ms)")
    String grace = "0";

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N", description = "with --cycle: leading cycles left out of the steady state (default 1)")
    int warmup = 1;

    /** @param freeHeap the free heap to forecast from (--free-heap), -1 for the capture's lowest reading */
    CycleAnalysis.Options options(long freeHeap) {
        if (warmup < 0) {
            throw new InputException("--warmup must be 0 or more");
        }
        return new CycleAnalysis.Options(Common.duration("--grace", grace), warmup, freeHeap);
    }
}
