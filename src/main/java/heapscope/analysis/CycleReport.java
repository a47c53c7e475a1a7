package heapscope.analysis;

import java.util.List;

/**
 * Leaks per repeated cycle of work (a connection, a request), found from markers in the capture.
 *
 * @param cycles         every cycle, in order; the last one is still open when the capture ends
 * @param warmup         leading cycles left out of the steady state (initialisation, first-use caches)
 * @param steadyBytes    median leaked bytes per cycle over the steady cycles (after warm-up, before the open one); -1 if none
 * @param steadyBlocks   median leaked blocks per cycle over the same cycles
 * @param minBytes       smallest per-cycle leak among them
 * @param maxBytes       largest
 * @param steadyCycles   how many cycles the steady figures are taken over
 * @param sites          leaking call stacks with how often they leak
 * @param freeHeap       free heap the forecast starts from, -1 when unknown
 * @param freeHeapSource where that figure comes from ({@code --free-heap}, a series label)
 * @param cyclesLeft     further cycles until that heap is exhausted at the steady rate, -1 when unknown or not leaking
 */
public record CycleReport(List<Cycle> cycles, int warmup, long steadyBytes, long steadyBlocks, long minBytes, long maxBytes,
                          int steadyCycles, List<Site> sites, long freeHeap, String freeHeapSource, long cyclesLeft,
                          Outside before, Outside grace) {

    /** Leaked blocks that fall in no cycle: allocated before the first marker, or within --grace of the end. */
    public record Outside(long leakedBlocks, long leakedBytes) {
    }

    /** One cycle: from its marker to the next one (or the end of the capture). */
    public record Cycle(int index, long startNs, long endNs, String marker, long leakedBlocks, long leakedBytes) {
    }

    /** How a call stack leaks across cycles. */
    public enum Pattern {
        /** in (nearly) every steady cycle: the per-cycle leak */
        EVERY_CYCLE,
        /** only in the warm-up cycles: initialisation, singletons, caches filled once */
        ONCE,
        /** in some cycles only */
        SOMETIMES
    }

    /**
     * @param cyclesLeaking steady cycles in which it leaked
     * @param bytesPerCycle median bytes it leaks per steady cycle
     */
    public record Site(int stack, Pattern pattern, int cyclesLeaking, long bytesPerCycle, long totalBytes, long totalBlocks) {
    }
}
