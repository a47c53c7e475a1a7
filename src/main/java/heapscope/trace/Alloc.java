package heapscope.trace;

/**
 * A block handed out by the allocator. Address 0 is a failed allocation, kept as such.
 *
 * @param memory the kind of memory the capture says the block is in, where it says so (heap_trace_dump's
 *               {@code Internal} and {@code PSRAM} labels); the chip's memory map, when known, says more
 */
public record Alloc(long timeNs, int core, int context, long address, long size, int stack, Memory memory) implements HeapEvent {
    /** What a capture may state about a block's memory. */
    public enum Memory { UNSTATED, INTERNAL, PSRAM }

    public Alloc(long timeNs, int core, int context, long address, long size, int stack) {
        this(timeNs, core, context, address, size, stack, Memory.UNSTATED);
    }

    public boolean failed() {
        return address == 0;
    }
}
