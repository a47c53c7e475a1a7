package heapscope.trace;

/**
 * A block handed out by the allocator. Address 0 is a failed allocation, kept as such.
 *
 * @param memory the kind of memory the capture says the block is in, where it says so (heap_trace_dump's
 *               {@code Internal} and {@code PSRAM} labels); the chip's memory map, when known, says more
 * @param caps   the capabilities the request asked for ({@code MALLOC_CAP_*} bits) where the capture says them
 *               (ESP-IDF's failed-allocation messages), else -1
 */
public record Alloc(long timeNs, int core, int context, long address, long size, int stack, Memory memory, long caps) implements HeapEvent {
    /** What a capture may state about a block's memory. */
    public enum Memory { UNSTATED, INTERNAL, PSRAM }

    public Alloc(long timeNs, int core, int context, long address, long size, int stack, Memory memory) {
        this(timeNs, core, context, address, size, stack, memory, -1);
    }

    public Alloc(long timeNs, int core, int context, long address, long size, int stack) {
        this(timeNs, core, context, address, size, stack, Memory.UNSTATED);
    }

    /** A failed request of SIZE bytes with capabilities CAPS (-1: not said). */
    public static Alloc failed(long timeNs, long size, long caps) {
        return new Alloc(timeNs, 0, 0, 0, size, 0, Memory.UNSTATED, caps);
    }

    public boolean failed() {
        return address == 0;
    }

    /** The same allocation with another call stack. */
    public Alloc withStack(int s) {
        return s == stack ? this : new Alloc(timeNs, core, context, address, size, s, memory, caps);
    }
}
