package heapscope.coredump.heap;

import java.util.List;

/**
 * The heap of one core dump in a capture, read against the ELF: the regions walked, the standalone trace and its
 * live records by site.
 *
 * @param sites         the trace's live records by site, the most bytes first; empty when the trace was not read
 * @param otherFirmware why the ELF is not the dump's firmware (so its symbols and types may not be this firmware's
 *                      and the heap may be read from the wrong places); null when it is, or the dump does not say
 * @param failed        the last allocation the capture reported as failed before the dump, judged against the heap
 *                      walked; null when there was none or no heap was walked
 */
public record CrashHeap(HeapAtCrash heap, HeapTrace trace, List<TraceSites.Site> sites, String otherFirmware,
                        FailedAllocation failed) {
    public CrashHeap {
        sites = List.copyOf(sites);
    }

    /** A failed allocation (its capabilities -1 when not stated) and why it failed. */
    public record FailedAllocation(long size, long caps, HeapAtCrash.Failure why) {
    }

    /** Whether the dump told anything about the heap: a region walked or a trace read. */
    public boolean any() {
        return heap instanceof HeapAtCrash.Walked || trace instanceof HeapTrace.Read;
    }
}
