package heapscope.trace;

/** A block handed out by the allocator. Address 0 is a failed allocation, kept as such. */
public record Alloc(long timeNs, int core, int context, long address, long size, int stack) implements HeapEvent {
    public boolean failed() {
        return address == 0;
    }
}
