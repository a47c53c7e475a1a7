package heapscope.coredump.heap;

import java.util.List;

/**
 * One registered heap region, walked.
 *
 * @param caps         its capabilities at each priority, as {@code heap_t_.caps} holds them
 * @param freeBytes    what the heap's head says is free ({@code multi_heap_info.free_bytes}), -1 when not in the dump
 * @param minimumFree  the low-water mark of free bytes since boot, -1 when not in the dump
 * @param blocks       the blocks in address order, as far as the walk got
 * @param stopReason   why the walk ended before the pool's end sentinel, or null when it reached it
 */
public record HeapRegion(long start, long end, long[] caps, long freeBytes, long minimumFree, List<HeapBlock> blocks,
                         String stopReason) {
    public HeapRegion {
        caps = caps.clone();
        blocks = List.copyOf(blocks);
    }

    public long usedBytes() {
        return blocks.stream().filter(HeapBlock::used).mapToLong(HeapBlock::size).sum();
    }

    public long usedCount() {
        return blocks.stream().filter(HeapBlock::used).count();
    }

    public long walkedFreeBytes() {
        return blocks.stream().filter(b -> !b.used()).mapToLong(HeapBlock::size).sum();
    }

    public long freeCount() {
        return blocks.stream().filter(b -> !b.used()).count();
    }

    public long largestFree() {
        return blocks.stream().filter(b -> !b.used()).mapToLong(HeapBlock::size).max().orElse(0);
    }
}
