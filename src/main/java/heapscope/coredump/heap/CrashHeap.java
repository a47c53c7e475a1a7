package heapscope.coredump.heap;

import heapscope.coredump.Memory;
import heapscope.symbols.Frame;
import heapscope.symbols.Symbolizer;

import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Predicate;

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

    /**
     * Reads the heap of a dump's memory with {@code elf}: the regions walked, the standalone trace and its live records
     * by site ({@code callerFrames} names return addresses, {@code allocator} tells the allocator's functions), and an
     * allocation of {@code failedSize} bytes with {@code failedCaps} (-1: any) judged against it; {@code failedSize} -1
     * when none failed.
     */
    public static CrashHeap read(Memory memory, Symbolizer elf, LongFunction<List<Frame>> callerFrames, Predicate<String> allocator,
                                 String otherFirmware, long failedSize, long failedCaps) {
        HeapAtCrash heap = HeapWalk.read(memory, elf);
        HeapTrace trace = TraceBuffer.read(memory, elf);
        List<TraceSites.Site> sites = trace instanceof HeapTrace.Read r ? TraceSites.alive(r, callerFrames, allocator) : List.of();
        FailedAllocation failed = failedSize >= 0 && heap instanceof HeapAtCrash.Walked w
                ? new FailedAllocation(failedSize, failedCaps, w.failure(failedSize, failedCaps)) : null;
        return new CrashHeap(heap, trace, sites, otherFirmware, failed);
    }

    /** A failed allocation (its capabilities -1 when not stated) and why it failed. */
    public record FailedAllocation(long size, long caps, HeapAtCrash.Failure why) {
    }

    /** Whether the dump told anything about the heap: a region walked or a trace read. */
    public boolean any() {
        return heap instanceof HeapAtCrash.Walked || trace instanceof HeapTrace.Read;
    }
}
