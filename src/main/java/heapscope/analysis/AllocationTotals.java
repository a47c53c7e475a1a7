package heapscope.analysis;

import java.util.Arrays;

/** Everything allocated from each call stack during the capture, freed or not: the report's {@link LeakReport.Allocated}. */
final class AllocationTotals {
    private long[] bytes = new long[64];
    private long[] blocks = new long[64];

    void add(int stack, long size) {
        if (stack >= bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(stack + 1, bytes.length * 2));
            blocks = Arrays.copyOf(blocks, bytes.length);
        }
        bytes[stack] += size;
        blocks[stack]++;
    }

    /** @param stacks the number of stacks the recording interned */
    LeakReport.Allocated allocated(int stacks) {
        return new LeakReport.Allocated(Arrays.copyOf(bytes, stacks), Arrays.copyOf(blocks, stacks));
    }
}
