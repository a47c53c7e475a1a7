package heapscope.analysis;

import heapscope.chip.Region;

import java.util.List;

/**
 * What held the memory (docs/analysis.md, "Peak and low water"): the live set by call site at the peak of the
 * traced live bytes, at the lowest free heap the device reported and at failed allocations; the peak of each call
 * stack; the temporary allocations; the sizes allocated and live at the peak, with the heap's cost per block.
 * All exact: taken in the analysis' one pass, not sampled.
 *
 * @param peak          the live set when the traced live bytes first reached their highest; null without allocations
 * @param lowWater      the live set at the lowest free-heap reading; null without readings
 * @param failures      the live set at the first {@link PeakAnalysis#MAX_FAILURES} failed allocations
 * @param failedAllocs  failed allocations in the capture, those beyond the list included
 * @param stackPeaks    the call stacks whose live bytes peaked highest, highest first (heaptrack's "peak consumption")
 * @param temporary     allocations freed soon after, per call stack
 * @param allocated     sizes of every allocation of the capture
 * @param livePeak      sizes of the blocks live at the peak
 * @param costs         the blocks live at the peak per region, with what the heap spends on them beyond the bytes asked for
 */
public record PeakReport(Moment peak, Moment lowWater, List<Moment> failures, long failedAllocs, List<StackPeak> stackPeaks,
                         Temporary temporary, List<SizeClass> allocated, List<SizeClass> livePeak, List<RegionCost> costs) {
    /** ESP-IDF's heap per used block ({@link HeapCost}): header bytes, alignment and smallest payload. */
    public static final long HEADER_BYTES = HeapCost.HEADER;
    public static final long ALIGN = HeapCost.ALIGN;
    public static final long MIN_BLOCK = HeapCost.MIN_BLOCK;

    /**
     * The live set at one moment by call site, the largest first.
     *
     * @param kind      what the moment is: {@code peak}, {@code low-water} or {@code failed-alloc}
     * @param what      for a failed allocation its size and call stack, for the low water the reading's label and
     *                  free bytes; else null
     * @param sites     at most {@link PeakAnalysis#MAX_SITES} call sites (at a failure {@link PeakAnalysis#FAILURE_SITES})
     * @param siteCount call stacks holding blocks at the moment, those beyond the list included
     * @param split     whether the sites' leak and transient figures are known (not where heap listings replaced the live set)
     */
    public record Moment(String kind, long timeNs, long liveBytes, long liveBlocks, Detail what, List<Site> sites, int siteCount,
                         boolean split) {
    }

    /** The failed allocation ({@code size}, {@code stack}) or the free-heap reading ({@code label}, {@code free}) of a moment. */
    public record Detail(long size, int stack, String label, long free) {
    }

    /**
     * One call stack's part of a moment's live set.
     *
     * @param leakBytes  of {@code bytes}, those in blocks never freed (still live at the end); the rest was freed later
     * @param region     the region of the first block the stack allocated; {@code context} its task
     */
    public record Site(int stack, long bytes, long blocks, long leakBytes, long leakBlocks, Region region, int context) {
        public long transientBytes() {
            return bytes - leakBytes;
        }
    }

    /** A call stack's highest live bytes over the capture, with the blocks at that point and what it holds at the end. */
    public record StackPeak(int stack, long peakBytes, long peakBlocks, long endBytes) {
    }

    /**
     * Allocations freed within {@code rule}, per call stack, the most frequent first.
     *
     * @param sites at most {@link PeakAnalysis#MAX_SITES}; {@code siteCount} all stacks with a temporary allocation
     */
    public record Temporary(TemporaryRule rule, long blocks, long bytes, long allocations, List<TemporarySite> sites, int siteCount) {
    }

    /** @param allocations every allocation of the stack, so that the share of temporary ones shows */
    public record TemporarySite(int stack, long blocks, long bytes, long allocations) {
    }

    /** Blocks of sizes from {@code from} to {@code to} bytes (both included). */
    public record SizeClass(long from, long to, long blocks, long bytes, long overhead) {
    }

    /**
     * The blocks live at the peak in one region; {@code overhead}: what the heap spends on them beyond the bytes
     * asked for (see {@link HeapCost}).
     */
    public record RegionCost(Region region, long blocks, long bytes, long overhead) {
    }
}
