package heapscope.trace;

/** A block given back. Address 0 is {@code free(NULL)}, which the device traces too. */
public record Free(long timeNs, int core, int context, long address, int stack) implements HeapEvent {
    public boolean ofNull() {
        return address == 0;
    }
}
