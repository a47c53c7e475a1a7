package heapscope.analysis;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.trace.Recording;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The result of a leak analysis over one capture.
 *
 * @param chip       memory map used for regions, null when unknown
 * @param chipSource where the chip came from: {@code --chip}, or where the capture named it ({@code ROM banner, line 1}); null without a chip
 * @param leaks      leaked blocks in allocation order
 * @param groups     leaks grouped by identical call stack, largest total first
 * @param regions    leaked bytes per region
 * @param snapshots  heap listings of the capture in order; the leaks are those of the last one
 * @param trends     free-heap trend per series of readings (see {@link TrendAnalysis})
 * @param cycles     leaks per cycle of work when cycle markers were asked for, else null
 * @param timeline   live traced bytes over time (see {@link Timeline}); for heap listings, within each listing
 * @param allocated  all allocations per call stack, for profiles of allocation (not only of leaks)
 * @param foldedStacks the call stacks counted in the last group, beyond the groups a report keeps apart (0: none)
 * @param peaks      what held the memory: the live set at the peak, the low water and failed allocations, temporary allocations, sizes
 * @param fragmentation why allocations failed: fragmentation or exhaustion, from the readings of the largest free block
 */
public record LeakReport(Recording recording, Chip chip, String chipSource, Counts counts, List<LeakedBlock> leaks, List<LeakGroup> groups,
                         SortedMap<Region, Long> regions, Diagnostics diagnostics, List<SnapshotInfo> snapshots,
                         Incidents incidents, List<Trend> trends, CycleReport cycles, List<Timeline.Point> timeline,
                         Allocated allocated, int foldedStacks, PeakReport peaks,
                         Fragmentation fragmentation) {

    /** The distinct call stacks that leak: the groups', counting those folded into the last group one by one. */
    public int leakingStacks() {
        return foldedStacks == 0 ? groups.size() : groups.size() - 1 + foldedStacks;
    }

    /** Leaked blocks per region; the counts beside the bytes of {@link #regions()}. */
    public Map<Region, Long> regionBlocks() {
        Map<Region, Long> blocks = new EnumMap<>(Region.class);
        for (LeakedBlock b : leaks) {
            blocks.merge(b.region(), 1L, Long::sum);
        }
        return blocks;
    }

    /** Everything allocated from each call stack over the capture, freed or not, indexed by stack id. */
    public record Allocated(long[] bytes, long[] blocks) {
        public long bytes(int stack) {
            return stack < bytes.length ? bytes[stack] : 0;
        }

        public long blocks(int stack) {
            return stack < blocks.length ? blocks[stack] : 0;
        }
    }

    /** What the capture held, in events. */
    /**
     * @param heapEvents    every heap event, the records of heap listings included
     * @param allocs        allocations outside heap listings
     * @param frees         frees outside heap listings
     * @param listings      heap listings (heap_trace_dump() output and the like): snapshots of the blocks alive
     * @param listedRecords the records of those listings, which repeat a block in every listing it is alive in
     */
    public record Counts(long events, long heapEvents, long allocs, long frees, long listings, long listedRecords,
                         long logMessages, long firstNs, long lastNs) {
    }

    public long leakedBytes() {
        long total = 0;
        for (LeakedBlock b : leaks) {
            total += b.size();
        }
        return total;
    }

    public long leakedBlocks() {
        return leaks.size();
    }
}
