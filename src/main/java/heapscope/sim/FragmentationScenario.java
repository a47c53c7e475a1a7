package heapscope.sim;

/**
 * A serial log whose failed allocations have known causes, for the fragmentation analysis: {@code
 * heap_caps_print_heap_info} blocks (one region of caps 0x00000004 and its totals) whose free bytes stay high while
 * the largest free block shrinks, and the memory-tracking utilities' {@code Failed to allocate} lines between them.
 * Ground truth, in order: 300,000 bytes at 0.1 s before any reading (held against the next: 197,676 free,
 * exhaustion), 8,192 bytes at 2 s (largest block 196,608: room), 8,192 bytes at 4 s (60,000 free, largest 4,096:
 * fragmentation, the reading at line 16), 8,192 bytes at 6 s (5,000 free: exhaustion).
 */
public final class FragmentationScenario {
    private FragmentationScenario() {
    }

    public static final String LOG = failure(100, 300_000)
            + heapInfo(1000, 197_676, 196_608)
            + failure(2000, 8192)
            + heapInfo(3000, 60_000, 4096)
            + failure(4000, 8192)
            + heapInfo(5000, 5000, 4096)
            + failure(6000, 8192);

    /** A heap info block at {@code ms}: FREE bytes free, LARGEST the largest free block. */
    public static String heapInfo(long ms, long free, long largest) {
        long len = Math.max(267552, free + 70_000);
        long allocated = len - free - 1024;
        return "I (" + ms + ") app: heap\n"
                + "Heap summary for capabilities 0x00000004:\n"
                + "  At 0x3fca81f0 len " + len + " free " + free + " allocated " + allocated + " min_free " + free + "\n"
                + "    largest_free_block " + largest + " alloc_blocks 63 free_blocks 9 total_blocks 72\n"
                + "  Totals:\n"
                + "    free " + free + " allocated " + allocated + " min_free " + free + " largest_free_block " + largest + "\n";
    }

    /** The memory-tracking utilities' line for a failed request of SIZE bytes at {@code ms}. */
    public static String failure(long ms, long size) {
        return "I (" + ms + ") app: request\nFailed to allocate " + size + " bytes for heap_caps_malloc in app_main at main/app.c:20\n";
    }
}
