package heapscope.analysis;

import heapscope.trace.HeapSample;

import java.util.List;
import java.util.Locale;

/**
 * Why allocations failed, judged against the heap readings the device printed with a largest free block
 * ({@code heap_caps_print_heap_info}'s totals, free-heap lines with a largest block, {@code --sample} patterns):
 * starved by fragmentation (a heap had enough free bytes, but no free block as large as the request) or by
 * exhaustion (no heap had that many bytes free). Where the failure names its capabilities and the capture has
 * {@code heap_caps_print_heap_info} of the same capabilities, only that heap counts. A failure is held against the latest reading of each heap before
 * it, or, when none came before, against the first one after (the failed-allocation hook of the memory-tracking
 * utilities prints its heap info after the failure). Readings of single regions ({@code caps .. @ 0x..}, heap walks)
 * are left out: a request too large for one region may fit in another.
 *
 * @param failures   failed allocations in the capture
 * @param unjudged   failures with no reading to hold them against (the capture has no largest free block)
 * @param starved    failures starved by fragmentation
 * @param exhausted  failures where no heap had as many bytes free
 * @param room       failures where a reading showed a free block large enough (the heap changed after it, or the
 *                   request asked for capabilities the readings do not cover)
 * @param examples   the first failures judged, in order
 * @param firstStarved the first failure starved by fragmentation (also when it is not among the examples), or null
 */
public record Fragmentation(long failures, long unjudged, long starved, long exhausted, long room, List<Failure> examples,
                            Failure firstStarved) {
    public static final Fragmentation NONE = new Fragmentation(0, 0, 0, 0, 0, List.of(), null);

    /** What a reading says of a failed request. */
    public enum Cause {
        FRAGMENTATION, EXHAUSTION, ROOM;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One failed allocation and the reading it was held against: the heap with the most free bytes among the latest
     * readings (for {@link Cause#ROOM}, the one with the block large enough).
     *
     * @param after the reading came after the failure (none came before it)
     */
    public record Failure(long size, long timeNs, Cause cause, HeapSample reading, boolean after) {
    }
}
