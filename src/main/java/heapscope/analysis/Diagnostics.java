package heapscope.analysis;

import java.util.List;

/**
 * What in the trace does not add up, reported instead of aborting. Each kind has its total count and the first
 * {@link LeakAnalysis#MAX_EXAMPLES} examples, so a pathological capture cannot exhaust memory.
 *
 * @param reorderedPairs an allocation and a free on two cores that the cores' clocks sorted out of order (within
 *                       {@link LeakAnalysis#CORE_SKEW_NS}), read in their real order
 */
public record Diagnostics(
        long unmatchedFrees, List<UnmatchedFree> unmatchedFreeExamples,
        long duplicateAllocs, List<DuplicateAlloc> duplicateAllocExamples,
        long freesInsideBlocks, List<FreeInsideBlock> freeInsideBlockExamples,
        long failedAllocs, long failedAllocBytes, List<FailedAlloc> failedAllocExamples,
        long nullFrees, long overflows, long droppedEvents, long reorderedPairs) {

    /** A free of an address never allocated in the capture: allocated before tracing started, or not traced. */
    public record UnmatchedFree(long address, long timeNs, int core, int context, int stack) {
    }

    /** An allocation at an address that was still live: the free of the earlier block was not traced. */
    public record DuplicateAlloc(long address, long timeNs, int core, int context, int stack,
                                 long previousSize, long previousTimeNs, int previousStack) {
    }

    /** A free of an address inside a live block, not at its start: a wrong pointer passed to free. */
    public record FreeInsideBlock(long address, long timeNs, int core, int context, int stack,
                                  long blockAddress, long blockSize, int blockStack) {
    }

    /** An allocation that returned NULL. */
    public record FailedAlloc(long size, long timeNs, int core, int context, int stack) {
    }

    public boolean incomplete() {
        return overflows > 0;
    }
}
