package heapscope.coredump.heap;

/**
 * One TLSF block.
 *
 * @param address the pointer malloc returned (or would return), not the header's
 * @param size    for an allocation under heap poisoning, the size asked for; otherwise the block's usable size, the
 *                request rounded up to the 4-byte alignment, as heap_caps_get_allocated_size says
 * @param owner   the handle of the task that allocated it (heap task tracking), 0 when the heap does not record it
 */
public record HeapBlock(long address, long size, boolean used, long owner) {
    public HeapBlock(long address, long size, boolean used) {
        this(address, size, used, 0);
    }
}
