package heapscope.trace;

/** An allocation or a free, with the execution context and the interned caller stack it came from. */
public sealed interface HeapEvent extends Event permits Alloc, Free {
    /** Target address, unsigned 32-bit. 0 for a failed allocation or {@code free(NULL)}. */
    long address();

    /** Id in the recording's {@link ContextTable}. */
    int context();

    /** Id in the recording's {@link StackTable}. */
    int stack();
}
