package heapscope.analysis;

import heapscope.analysis.Diagnostics.DuplicateAlloc;
import heapscope.analysis.Diagnostics.FreeInsideBlock;
import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.trace.Alloc;
import heapscope.trace.Condition;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Free;
import heapscope.trace.HeapSample;
import heapscope.trace.LogMessage;
import heapscope.trace.Overflow;
import heapscope.trace.Recording;
import heapscope.trace.Snapshot;
import heapscope.trace.StackTable;
import heapscope.trace.SystemEvent;
import heapscope.util.IndexSort;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds the blocks allocated in a capture and not freed by its end, in one streaming pass: memory grows with
 * the live blocks and unique stacks, never with the number of events. Where ESP-IDF's tool aborts (an
 * allocation at a live address) or stays silent (lost events), this records a diagnostic and goes on.
 */
public final class LeakAnalysis {
    /** Examples kept per diagnostic kind; the rest are counted. */
    public static final int MAX_EXAMPLES = 1000;
    /** Free-heap readings kept; the rest are counted. */
    public static final int MAX_SAMPLES = 100_000;
    /**
     * How far a free on one core may sort before the allocation of the same block on the other core and still be
     * paired with it. Each core's trace has its own clock; merged by time, a block freed on core 1 just after core 0
     * allocated it can come first, which ESP-IDF's script reports as a leak plus an unmatched free; likewise core 0's
     * allocation of an address core 1 has just freed can come before that free, which would take the new block for
     * the freed one. The window is a few microseconds: far longer than that skew, far shorter than the time a freed
     * block takes to be handed out again on the other core in all but the busiest workloads.
     */
    public static final long CORE_SKEW_NS = 5_000;

    private final Chip chipOverride;
    // one accumulator per part of the report, all fed by the one pass in accept()
    private final EventTally tally = new EventTally();
    private final LiveSet live = new LiveSet();
    private final HeapListings listings = new HeapListings();
    private final DiagnosticLog diagnostics = new DiagnosticLog();
    private final IncidentLog incidents = new IncidentLog();
    private final RecentlyFreed freed = new RecentlyFreed();
    private final AllocationTotals allocated = new AllocationTotals();
    private final Timeline timeline = new Timeline();
    private final CycleMarkers markers;
    private final PeakAnalysis peaks;
    private final FragmentationCheck fragmentation = new FragmentationCheck();

    /** @param chipOverride memory map to use instead of the one the capture names; null to take the capture's */
    public LeakAnalysis(Chip chipOverride) {
        this(chipOverride, null, null);
    }

    /**
     * @param cycleMarker log messages matching this start a new cycle of work (null: no cycle analysis)
     */
    public LeakAnalysis(Chip chipOverride, Pattern cycleMarker, CycleAnalysis.Options cycleOptions) {
        this(chipOverride, cycleMarker, cycleOptions, TemporaryRule.DEFAULT);
    }

    /** @param temporary when an allocation freed soon after counts as temporary ({@link PeakReport.Temporary}) */
    public LeakAnalysis(Chip chipOverride, Pattern cycleMarker, CycleAnalysis.Options cycleOptions, TemporaryRule temporary) {
        this.chipOverride = chipOverride;
        this.markers = new CycleMarkers(cycleMarker, cycleOptions);
        this.peaks = new PeakAnalysis(temporary);
    }

    /** Reads the whole capture and reports. */
    public static LeakReport run(EventReader reader, Chip chipOverride) throws IOException {
        return new LeakAnalysis(chipOverride).read(reader);
    }

    /**
     * What a live view shows while the capture is still coming in. Unknown figures are -1.
     *
     * @param trend        the free-heap trend of the first series with a verdict, or null
     * @param lastListing  blocks alive in the latest complete heap listing, -1 without listings
     * @param stacks       distinct call stacks among the blocks live now
     * @param top          the call stacks holding the most live bytes, largest first (at most three)
     */
    public record Status(long events, long liveBlocks, long liveBytes, long freeHeap, long lowestFreeHeap, int listings, int cycles,
                         long corruptions, long crashes, Trend trend, long lastListing, int stacks, List<TopStack> top) {
        public Status(long events, long liveBlocks, long liveBytes, long freeHeap, long lowestFreeHeap, int listings, int cycles,
                      long corruptions, long crashes) {
            this(events, liveBlocks, liveBytes, freeHeap, lowestFreeHeap, listings, cycles, corruptions, crashes, null, -1, 0, List.of());
        }
    }

    /** A call stack (its return addresses, innermost first) and the live bytes it holds. */
    public record TopStack(int stack, long[] callers, long bytes, long blocks) {
    }

    /** The state so far; call it from the thread that feeds the analysis. */
    public Status status() {
        return status(null);
    }

    /**
     * The state so far, with the top stacks' callers read from {@code stacks}; call it from the feeding thread. Its
     * cost does not grow with the live set: the per-stack totals are kept as blocks come and go, and the free-heap
     * figures as readings come.
     */
    public Status status(StackTable stacks) {
        boolean afterListing = !listings.isEmpty();
        LiveBlocks shown = live.shown(afterListing);
        StackTotals perStack = shown.perStack();
        List<TopStack> top = new ArrayList<>(3);
        for (int stack : perStack.top(3)) {
            top.add(new TopStack(stack, stacks == null ? new long[0] : stacks.frames(stack), perStack.bytes(stack), perStack.blocks(stack)));
        }
        Trend trend = null;
        for (Trend t : incidents.trends()) {
            if (t.verdict() != Trend.Verdict.TOO_SHORT) {
                trend = t;
                break;
            }
        }
        return new Status(tally.events(), live.shownSize(afterListing), live.shownBytes(afterListing), incidents.lastFree(), incidents.lowestFree(),
                listings.count(), markers.count(), incidents.corruptionCount(), incidents.crashCount(), trend, listings.lastAlive(),
                perStack.stacks(), List.copyOf(top));
    }

    /** Reads the whole capture into this analysis and reports. */
    public LeakReport read(EventReader reader) throws IOException {
        for (Event e = reader.next(); e != null; e = reader.next()) {
            accept(e);
        }
        return finish(reader.recording());
    }

    public void accept(Event event) {
        // a message's start is the recording's to know (Recording.sawMessage): a log line before the first timestamp has none
        tally.event(event.timeNs(), !(event instanceof LogMessage));
        if (diagnostics.holding()) {
            diagnostics.settle(event.timeNs());
        }
        switch (event) {
            case Alloc a -> alloc(a);
            case Free f -> free(f);
            case LogMessage m -> {
                tally.logMessage();
                markers.message(m);
            }
            case Overflow o -> diagnostics.overflow(o);
            case SystemEvent s -> {
            }
            case Snapshot s -> snapshot(s);
            case HeapSample h -> {
                incidents.sample(h);
                fragmentation.sample(h);
                peaks.sample(h, live.bytes(), live.size(), live.nextSeq());
            }
            case Corruption c -> incidents.corruption(c, locator(null)::locate);
            case Crash c -> incidents.crash(c);
        }
    }

    private void snapshot(Snapshot s) {
        if (s.boundary() == Snapshot.Boundary.START) {
            live.startListing();
            listings.start(s);
            return;
        }
        if (s.cut() && !listings.isEmpty() && live.inListing()) { // a partial listing is not the heap: the last complete one stands
            live.restore();
            listings.drop();
            timeline.add(s.timeNs(), live.bytes());
            return;
        }
        ListingChanges changes = live.keepListing();
        listings.end(s, live.blocks(), changes);
        peaks.listing(changes, live.blocks(), s.timeNs(), live.bytes(), live.nextSeq());
    }

    private void alloc(Alloc a) {
        tally.heapEvent();
        if (a.failed()) {
            diagnostics.failedAlloc(a);
            peaks.failed(a, live.bytes(), live.size(), live.nextSeq());
            fragmentation.failed(a);
            return;
        }
        boolean listed = listings.open(); // a listing's record, not an allocation made now
        tally.allocation(listed);
        if (!listed || listings.isEmpty() || !live.hadBefore(a)) { // a block listed again is not allocated again
            allocated.add(a.stack(), a.size());
            peaks.allocated(a);
        }
        if (diagnostics.completesFree(a)) {
            peaks.freedAtOnce(a.stack(), a.size());
            return; // its free, sorted before it by the cores' clocks: allocated and freed
        }
        int i = live.find(a.address());
        if (i >= 0) {
            LiveBlocks blocks = live.blocks();
            diagnostics.duplicateAlloc(new DuplicateAlloc(a.address(), a.timeNs(), a.core(), a.context(), a.stack(),
                    blocks.size(i), blocks.time(i), blocks.stack(i)));
            if (!listed) {
                peaks.removed(blocks.stack(i), blocks.size(i), blocks.address(i), blocks.memory(i), false, 0, 0);
            }
        }
        long bytes = live.add(a, i);
        timeline.add(a.timeNs(), bytes);
        if (!listed) { // a listing's records count once the listing is complete (snapshot)
            peaks.added(a.stack(), a.size(), a.address(), a.context(), a.memory().ordinal(), a.timeNs(), bytes, live.size(),
                    live.nextSeq());
        }
    }

    private void free(Free f) {
        boolean listed = listings.open(); // in a listing, a record's "freed" mark: the record is counted already
        if (!listed) {
            tally.heapEvent();
        }
        if (f.ofNull()) {
            diagnostics.nullFree();
            return;
        }
        if (!listed) {
            tally.free();
        }
        if (diagnostics.completesDuplicate(f)) {
            return; // the free of the block the allocation replaced, sorted after it by the cores' clocks: the new one lives on
        }
        int i = live.find(f.address());
        if (i >= 0) {
            freed.add(live.blocks(), i, f);
            if (!listed) {
                LiveBlocks blocks = live.blocks();
                peaks.removed(blocks.stack(i), blocks.size(i), blocks.address(i), blocks.memory(i), true,
                        live.nextSeq() - blocks.seq(i) - 1, f.timeNs() - blocks.time(i));
            }
            timeline.add(f.timeNs(), live.removeAt(i));
            return;
        }
        LiveBlocks blocks = live.blocks();
        int outer = live.findContaining(f.address());
        if (outer >= 0) {
            diagnostics.freeInsideBlock(new FreeInsideBlock(f.address(), f.timeNs(), f.core(), f.context(), f.stack(),
                    blocks.address(outer), blocks.size(outer), blocks.stack(outer)));
            return;
        }
        diagnostics.unmatchedFree(f);
    }

    public LeakReport finish(Recording recording) {
        diagnostics.settle(Long.MAX_VALUE);
        Chip chip = chipOverride != null ? chipOverride : Chip.parse(recording.chip()).orElse(null);
        LiveBlocks blocks = live.blocks();
        int[] slots = new int[blocks.size()];
        int n = 0;
        for (int i = 0; i < blocks.rows(); i++) {
            if (blocks.occupied(i)) {
                slots[n++] = i;
            }
        }
        IndexSort.sort(slots, (a, b) -> Long.compare(blocks.seq(a), blocks.seq(b)));
        List<LeakedBlock> leaks = new ArrayList<>(slots.length);
        for (int i : slots) {
            leaks.add(block(blocks, i, chip));
        }
        long[] perRegion = new long[Region.values().length]; // a boxed map update per block cost more than the block
        boolean[] seen = new boolean[perRegion.length];
        for (LeakedBlock b : leaks) {
            perRegion[b.region().ordinal()] += b.size();
            seen[b.region().ordinal()] = true;
        }
        TreeMap<Region, Long> regions = new TreeMap<>();
        for (Region region : Region.values()) {
            if (seen[region.ordinal()]) {
                regions.put(region, perRegion[region.ordinal()]);
            }
        }
        LeakReport.Counts counts = tally.counts(recording, listings.count());
        List<Trend> trends = incidents.trends();
        StackTable stacks = recording.stacks();
        LeakReport.Allocated everything = allocated.allocated(stacks.size());
        LeakGroups groups = LeakGroups.of(leaks, listings, counts.firstNs(), counts.lastNs(), LeakGroups.MAX_GROUPS, stacks::other);
        if (groups.foldedStacks() > 0) {
            recording.update(folded(recording, groups));
        }
        String chipSource = chipOverride != null ? "--chip" : chip != null ? recording.chipSource() : null;
        return new LeakReport(recording, chip, chipSource, counts, List.copyOf(leaks), groups.groups(), regions, diagnostics.diagnostics(),
                listings.snapshots(), incidents.incidents(chip, locator(chip)::locate), trends, markers.report(leaks, tally.lastNs(), trends),
                timeline.points(), everything, groups.foldedStacks(), peaks.report(blocks, chip, everything), fragmentation.report());
    }

    /** The headline's word on the groups folded into the last one, so that no format shows them as one call stack. */
    private static Condition folded(Recording recording, LeakGroups groups) {
        LeakGroup other = groups.groups().get(groups.groups().size() - 1);
        String source = recording.name();
        return new Condition(Condition.Kind.FOLDED_STACKS, source, String.format(Locale.ROOT,
                "%s: %,d call stacks leak, more than the %,d a report keeps apart; the %,d smallest, %,d bytes in %,d blocks,"
                        + " are counted as one group 'other call stacks'", source, groups.groups().size() - 1 + groups.foldedStacks(),
                LeakGroups.MAX_GROUPS, groups.foldedStacks(), other.bytes(), other.blocks()),
                "Totals are exact; to tell more apart, cut the stacks shorter (--stack-depth) so that more blocks share one.");
    }

    /** Finds memory errors' blocks among the live set as it is now and the blocks freed last. */
    private BlockLocator locator(Chip chip) {
        LiveBlocks blocks = live.blocks();
        return new BlockLocator(blocks, freed, i -> block(blocks, i, chip));
    }

    /** The region the capture's own word names ({@link Alloc.Memory} ordinal), where the chip's memory map is not known. */
    static Region stated(int memory) {
        return switch (Alloc.Memory.values()[memory]) {
            case INTERNAL -> Region.INTERNAL;
            case PSRAM -> Region.PSRAM;
            case UNSTATED -> Region.UNKNOWN;
        };
    }

    /** Live block {@code i} as reported, dated by the listings; its region from {@code chip}, else from the capture's word. */
    private LeakedBlock block(LiveBlocks blocks, int i, Chip chip) {
        Region region = chip != null ? chip.heapRegion(blocks.address(i)) : stated(blocks.memory(i));
        int since = listings.firstListing(blocks, i);
        return new LeakedBlock(blocks.address(i), blocks.size(i), listings.time(blocks, i, since), blocks.core(i), blocks.context(i),
                blocks.stack(i), region, since);
    }
}
