package heapscope.coredump;

/** One line of the memory region list: a section of the application (merged with dump memory over it) or a dump segment. */
public record MemoryRegion(String name, long address, long size, String attributes) {
}
