package heapscope.coredump.heap;

/**
 * One record of ESP-IDF's standalone heap trace buffer.
 *
 * @param ccount    the CPU cycle count at the allocation; its lowest bit is the core that made it
 * @param allocedBy return addresses of the allocation's callers, innermost first, zero entries left out
 * @param freedBy   the same for its free (HEAP_TRACE_ALL), empty while it is alive
 */
public record TraceRecord(long ccount, long address, long size, long[] allocedBy, long[] freedBy) {
    public TraceRecord {
        allocedBy = allocedBy.clone();
        freedBy = freedBy.clone();
    }

    public int core() {
        return (int) (ccount & 1);
    }

    public boolean freed() {
        return freedBy.length > 0;
    }
}
