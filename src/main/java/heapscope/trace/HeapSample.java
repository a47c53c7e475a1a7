package heapscope.trace;

/**
 * A reading of the heap's state printed by the device (free heap, minimum free heap, largest free block), for
 * the time series a leak trend is computed from. Unknown figures are -1. {@code timed} is false when the log
 * gave no time for it, so only the order ({@code line}) is meaningful.
 *
 * @param label what was measured, e.g. {@code caps 0x00000004}, {@code internal}, {@code psram}, {@code total}
 */
public record HeapSample(long timeNs, int core, long line, boolean timed, String label, long free, long minFree,
                         long largestFree, long allocated) implements Event {
}
