package heapscope.coredump.heap;

/**
 * One TLSF block.
 *
 * @param address the pointer malloc returned (or would return), not the header's
 * @param size    its usable size: the request rounded up to the 4-byte alignment, as heap_caps_get_allocated_size says
 */
public record HeapBlock(long address, long size, boolean used) {
}
