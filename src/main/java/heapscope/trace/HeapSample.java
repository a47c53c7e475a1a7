package heapscope.trace;

/**
 * A reading of the heap's state printed by the device (free heap, minimum free heap, largest free block), for
 * the time series a leak trend is computed from. Unknown figures are -1. {@code timed} is false when the log
 * gave no time for it, so only the order ({@code line}) is meaningful.
 *
 * @param label       what was measured, e.g. {@code caps 0x00000004}, {@code internal}, {@code psram}, {@code total}
 * @param length      the region's size in bytes ({@code heap_caps_print_heap_info}'s {@code len}), -1 when not printed
 * @param allocBlocks blocks in use, {@code freeBlocks} free ones, {@code totalBlocks} both, as printed (-1: not printed)
 */
public record HeapSample(long timeNs, int core, long line, boolean timed, String label, long free, long minFree,
                         long largestFree, long allocated, long length, long allocBlocks, long freeBlocks, long totalBlocks) implements Event {

    /** A reading without a region's length and block counts. */
    public HeapSample(long timeNs, int core, long line, boolean timed, String label, long free, long minFree, long largestFree, long allocated) {
        this(timeNs, core, line, timed, label, free, minFree, largestFree, allocated, -1, -1, -1, -1);
    }
}
