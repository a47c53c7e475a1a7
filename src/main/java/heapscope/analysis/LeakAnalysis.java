package heapscope.analysis;

import heapscope.analysis.Diagnostics.DuplicateAlloc;
import heapscope.analysis.Diagnostics.FailedAlloc;
import heapscope.analysis.Diagnostics.FreeInsideBlock;
import heapscope.analysis.Diagnostics.UnmatchedFree;
import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.trace.Alloc;
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
import heapscope.trace.SystemEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    private LiveBlocks live = new LiveBlocks();
    /** The live set as the last listing left it, while a new listing is read: kept if that one is cut off. */
    private LiveBlocks beforeListing;
    private long beforeListingBytes;
    /** A set no longer needed, kept to read the next listing into: its tables have already grown to a listing's size. */
    private LiveBlocks spare;
    private long seq;
    private long events;
    private long heapEvents;
    private long allocs;
    private long listedRecords;
    private long frees;
    private long logMessages;
    private long firstNs = -1;
    private long lastNs;

    private long unmatchedFrees;
    private final List<UnmatchedFree> unmatchedFreeExamples = new ArrayList<>();
    /** Unmatched frees: their allocation may still come from the other core. */
    private final SkewWindow<Free> pendingFrees = new SkewWindow<>();
    /** Allocations at a live address: the old block's free may still come from the other core. */
    private final SkewWindow<DuplicateAlloc> pendingDuplicates = new SkewWindow<>();
    private long reorderedPairs;
    private long duplicateAllocs;
    private final List<DuplicateAlloc> duplicateAllocExamples = new ArrayList<>();
    private long freesInsideBlocks;
    private final List<FreeInsideBlock> freeInsideBlockExamples = new ArrayList<>();
    private long failedAllocs;
    private long failedAllocBytes;
    private final List<FailedAlloc> failedAllocExamples = new ArrayList<>();
    private long nullFrees;
    private long overflows;
    private long dropped;

    private final List<SnapshotInfo> snapshots = new ArrayList<>();
    private final List<Map<Integer, Long>> perSnapshotStacks = new ArrayList<>();
    /** Blocks of the last complete listing; their seq field holds the listing they are present since. */
    private LiveBlocks presentSince = new LiveBlocks();
    private long[] stackCounts = new long[64];
    private Snapshot openSnapshot;
    private final List<Incidents.MatchedCorruption> corruptions = new ArrayList<>();
    private long corruptionCount;
    private final List<Crash> crashes = new ArrayList<>();
    private long crashCount;
    private final List<HeapSample> samples = new ArrayList<>();
    private long sampleCount;
    /** The latest and the lowest free-heap reading among those kept, -1 before the first. */
    private long lastFree = -1;
    private long lowestFree = -1;
    private final Timeline timeline = new Timeline();
    private long liveBytes;
    private long[] allocatedBytes = new long[64]; // per stack id: everything allocated from it, freed or not
    private long[] allocatedBlocks = new long[64];

    private final java.util.regex.Pattern cycleMarker;
    private final CycleAnalysis.Options cycleOptions;
    private final List<CycleAnalysis.Marker> markers = new ArrayList<>();

    /** @param chipOverride memory map to use instead of the one the capture names; null to take the capture's */
    public LeakAnalysis(Chip chipOverride) {
        this(chipOverride, null, null);
    }

    /**
     * @param cycleMarker log messages matching this start a new cycle of work (null: no cycle analysis)
     */
    public LeakAnalysis(Chip chipOverride, java.util.regex.Pattern cycleMarker, CycleAnalysis.Options cycleOptions) {
        this.chipOverride = chipOverride;
        this.cycleMarker = cycleMarker;
        this.cycleOptions = cycleOptions;
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
    public Status status(heapscope.trace.StackTable stacks) {
        LiveBlocks shown = shownLive();
        StackTotals perStack = shown.perStack();
        List<TopStack> top = new ArrayList<>(3);
        for (int stack : perStack.top(3)) {
            top.add(new TopStack(stack, stacks == null ? new long[0] : stacks.frames(stack), perStack.bytes(stack), perStack.blocks(stack)));
        }
        Trend trend = null;
        for (Trend t : TrendAnalysis.of(samples)) {
            if (t.verdict() != Trend.Verdict.TOO_SHORT) {
                trend = t;
                break;
            }
        }
        long lastListing = snapshots.isEmpty() ? -1 : snapshots.get(snapshots.size() - 1).aliveBlocks();
        return new Status(events, shown.size(), shown == live ? liveBytes : beforeListingBytes, lastFree, lowestFree, snapshots.size(),
                markers.size(), corruptionCount, crashCount, trend, lastListing, perStack.stacks(), List.copyOf(top));
    }

    /** The live set to show while reading: during a listing, the last complete one's, not the half-read new one. */
    private LiveBlocks shownLive() {
        return openSnapshot != null && beforeListing != null && !snapshots.isEmpty() ? beforeListing : live;
    }

    /** Reads the whole capture into this analysis and reports. */
    public LeakReport read(EventReader reader) throws IOException {
        for (Event e = reader.next(); e != null; e = reader.next()) {
            accept(e);
        }
        return finish(reader.recording());
    }

    public void accept(Event event) {
        events++;
        // a message's start is the recording's to know (Recording.sawMessage): a log line before the first timestamp has none
        if (firstNs < 0 && !(event instanceof LogMessage)) {
            firstNs = event.timeNs();
        }
        lastNs = Math.max(lastNs, event.timeNs());
        if (!pendingFrees.isEmpty() || !pendingDuplicates.isEmpty()) { // rare: keeps every event's path short
            settlePending(event.timeNs());
        }
        switch (event) {
            case Alloc a -> alloc(a);
            case Free f -> free(f);
            case LogMessage m -> {
                logMessages++;
                if (cycleMarker != null && cycleMarker.matcher(m.text()).find()) {
                    markers.add(new CycleAnalysis.Marker(m.timeNs(), m.text().strip()));
                }
            }
            case Overflow o -> {
                overflows++;
                dropped += o.dropped();
            }
            case SystemEvent s -> {
            }
            case Snapshot s -> snapshot(s);
            case HeapSample h -> {
                sampleCount++;
                if (samples.size() < MAX_SAMPLES) {
                    samples.add(h);
                    if (h.free() >= 0) {
                        lastFree = h.free();
                        lowestFree = lowestFree < 0 ? h.free() : Math.min(lowestFree, h.free());
                    }
                }
            }
            case Corruption c -> {
                corruptionCount++;
                if (corruptions.size() < MAX_EXAMPLES) {
                    int i = live.near(c.address());
                    corruptions.add(new Incidents.MatchedCorruption(c, i < 0 ? null : block(i, null)));
                }
            }
            case Crash c -> {
                crashCount++;
                if (crashes.size() < MAX_EXAMPLES) {
                    crashes.add(c);
                }
            }
        }
    }

    private void snapshot(Snapshot s) {
        if (s.boundary() == Snapshot.Boundary.START) {
            LiveBlocks next = spare != null ? spare : new LiveBlocks();
            next.clear();
            spare = null;
            if (openSnapshot == null) { // a listing starting inside another (garbled logs) keeps the one before both
                beforeListing = live;
                beforeListingBytes = liveBytes;
            } else {
                spare = live;
            }
            live = next;
            liveBytes = 0;
            openSnapshot = s;
            return;
        }
        if (s.cut() && !snapshots.isEmpty() && beforeListing != null) { // a partial listing is not the heap: the last complete one stands
            spare = live;
            live = beforeListing;
            liveBytes = beforeListingBytes;
            beforeListing = null;
            openSnapshot = null;
            timeline.add(s.timeNs(), liveBytes);
            return;
        }
        spare = beforeListing;
        beforeListing = null;
        long blocks = 0;
        long bytes = 0;
        long carried = 0;
        LiveBlocks since = new LiveBlocks();
        for (int i = 0; i < live.capacity(); i++) {
            if (live.occupied(i)) {
                int first = since(i);
                if (first < snapshots.size()) {
                    carried++;
                }
                since.put(live.address(i), live.size(i), 0, first, live.stack(i), 0, 0, 0);
                int stack = live.stack(i);
                if (stack >= stackCounts.length) {
                    stackCounts = java.util.Arrays.copyOf(stackCounts, Math.max(stack + 1, stackCounts.length * 2));
                }
                stackCounts[stack]++;
                blocks++;
                bytes += live.size(i);
            }
        }
        presentSince = since;
        Map<Integer, Long> stacks = new HashMap<>();
        for (int stack = 0; stack < stackCounts.length; stack++) {
            if (stackCounts[stack] != 0) {
                stacks.put(stack, stackCounts[stack]);
                stackCounts[stack] = 0;
            }
        }
        perSnapshotStacks.add(stacks);
        Snapshot start = openSnapshot != null ? openSnapshot : s;
        snapshots.add(new SnapshotInfo(snapshots.size(), start.kind(), start.line(), start.timeNs(), s.declared(), blocks, bytes, carried));
        openSnapshot = null;
    }

    private void alloc(Alloc a) {
        heapEvents++;
        if (a.failed()) {
            failedAllocs++;
            failedAllocBytes += a.size();
            if (failedAllocExamples.size() < MAX_EXAMPLES) {
                failedAllocExamples.add(new FailedAlloc(a.size(), a.timeNs(), a.core(), a.context(), a.stack()));
            }
            return;
        }
        if (openSnapshot != null) {
            listedRecords++; // a listing's record, not an allocation made now
        } else {
            allocs++;
        }
        int stack = a.stack();
        if (stack >= allocatedBytes.length) {
            allocatedBytes = java.util.Arrays.copyOf(allocatedBytes, Math.max(stack + 1, allocatedBytes.length * 2));
            allocatedBlocks = java.util.Arrays.copyOf(allocatedBlocks, allocatedBytes.length);
        }
        if (openSnapshot == null || !listedBefore(a)) { // a block listed again is not allocated again
            allocatedBytes[stack] += a.size();
            allocatedBlocks[stack]++;
        }
        if (pendingFrees.pairs(a.address(), a.core(), a.timeNs())) {
            reorderedPairs++; // its free, sorted before it by the cores' clocks: allocated and freed
            return;
        }
        int i = live.find(a.address());
        if (i >= 0) {
            liveBytes -= live.size(i);
            DuplicateAlloc d = new DuplicateAlloc(a.address(), a.timeNs(), a.core(), a.context(), a.stack(),
                    live.size(i), live.time(i), live.stack(i));
            DuplicateAlloc older = pendingDuplicates.hold(d.address(), d.timeNs(), d.core(), d);
            if (older != null) {
                duplicate(older); // allocated there twice before any free: the first cannot be paired any more
            }
        }
        live.put(a.address(), a.size(), a.timeNs(), seq++, a.stack(), a.context(), a.core(), a.memory().ordinal());
        liveBytes += a.size();
        timeline.add(a.timeNs(), liveBytes);
    }

    private void free(Free f) {
        boolean listed = openSnapshot != null; // in a listing, a record's "freed" mark: the record is counted already
        if (!listed) {
            heapEvents++;
        }
        if (f.ofNull()) {
            nullFrees++;
            return;
        }
        if (!listed) {
            frees++;
        }
        if (pendingDuplicates.pairs(f.address(), f.core(), f.timeNs())) {
            // the free of the block the allocation replaced, sorted after it by the cores' clocks: the new one lives on
            reorderedPairs++;
            return;
        }
        int i = live.find(f.address());
        if (i >= 0) {
            liveBytes -= live.size(i);
            live.removeAt(i);
            timeline.add(f.timeNs(), liveBytes);
            return;
        }
        int outer = live.findContaining(f.address());
        if (outer >= 0) {
            freesInsideBlocks++;
            if (freeInsideBlockExamples.size() < MAX_EXAMPLES) {
                freeInsideBlockExamples.add(new FreeInsideBlock(f.address(), f.timeNs(), f.core(), f.context(), f.stack(),
                        live.address(outer), live.size(outer), live.stack(outer)));
            }
            return;
        }
        Free older = pendingFrees.hold(f.address(), f.timeNs(), f.core(), f);
        if (older != null) {
            unmatched(older); // freed twice before any allocation: the first cannot be paired any more
        }
    }

    /** Unmatched frees and allocations at live addresses older than the skew window, as of {@code nowNs}, are final. */
    private void settlePending(long nowNs) {
        pendingFrees.expire(nowNs, this::unmatched);
        pendingDuplicates.expire(nowNs, this::duplicate);
    }

    /**
     * Heap events held for {@link #CORE_SKEW_NS} by address, oldest first, in case their other half comes from the
     * other core; those still held when the window has passed are final.
     */
    private static final class SkewWindow<T> {
        private record Held<T>(long address, long timeNs, int core, T event) {
        }

        private final java.util.ArrayDeque<Held<T>> order = new java.util.ArrayDeque<>();
        private final Map<Long, Held<T>> byAddress = new HashMap<>();

        /** Holds {@code event}; returns the one it displaces at the same address (too late to pair), or null. */
        T hold(long address, long timeNs, int core, T event) {
            Held<T> held = new Held<>(address, timeNs, core, event);
            order.add(held);
            Held<T> older = byAddress.put(address, held);
            return older == null ? null : older.event();
        }

        /** Whether an event at {@code address} from {@code core} completes a held one (another core, within the window). */
        boolean pairs(long address, int core, long timeNs) {
            Held<T> held = byAddress.get(address);
            if (held == null || held.core() == core || timeNs - held.timeNs() > CORE_SKEW_NS) {
                return false;
            }
            byAddress.remove(address);
            return true;
        }

        boolean isEmpty() {
            return order.isEmpty();
        }

        /** Hands each event held longer than the window, as of {@code nowNs}, to {@code settled}. */
        void expire(long nowNs, java.util.function.Consumer<T> settled) {
            while (!order.isEmpty() && nowNs - order.peekFirst().timeNs() > CORE_SKEW_NS) {
                Held<T> held = order.pollFirst();
                if (byAddress.remove(held.address(), held)) {
                    settled.accept(held.event());
                }
            }
        }
    }

    private void duplicate(DuplicateAlloc d) {
        duplicateAllocs++;
        if (duplicateAllocExamples.size() < MAX_EXAMPLES) {
            duplicateAllocExamples.add(d);
        }
    }

    private void unmatched(Free f) {
        unmatchedFrees++;
        if (unmatchedFreeExamples.size() < MAX_EXAMPLES) {
            unmatchedFreeExamples.add(new UnmatchedFree(f.address(), f.timeNs(), f.core(), f.context(), f.stack()));
        }
    }

    public LeakReport finish(Recording recording) {
        settlePending(Long.MAX_VALUE);
        Chip chip = chipOverride != null ? chipOverride : Chip.parse(recording.chip()).orElse(null);
        List<Integer> slots = new ArrayList<>(live.size());
        for (int i = 0; i < live.capacity(); i++) {
            if (live.occupied(i)) {
                slots.add(i);
            }
        }
        slots.sort(Comparator.comparingLong(live::seq));
        List<LeakedBlock> leaks = new ArrayList<>(slots.size());
        for (int i : slots) {
            leaks.add(block(i, chip));
        }
        List<Incidents.MatchedCorruption> matched = new ArrayList<>(corruptions.size());
        for (Incidents.MatchedCorruption m : corruptions) { // regions are known only now
            LeakedBlock b = m.block();
            matched.add(b == null || chip == null ? m : new Incidents.MatchedCorruption(m.report(),
                    new LeakedBlock(b.address(), b.size(), b.timeNs(), b.core(), b.context(), b.stack(), chip.heapRegion(b.address()), b.sinceSnapshot())));
        }
        TreeMap<Region, Long> regions = new TreeMap<>();
        for (LeakedBlock b : leaks) {
            regions.merge(b.region(), b.size(), Long::sum);
        }
        // a log's decoder saw every message, also those it was not asked to pass on as events
        long first = firstNs < 0 ? recording.firstMessageNs() : recording.firstMessageNs() < 0 ? firstNs
                : Math.min(firstNs, recording.firstMessageNs()); // -1 is "no time" on either side
        long last = Math.max(lastNs, recording.lastMessageNs());
        LeakReport.Counts counts = new LeakReport.Counts(events, heapEvents, allocs, frees, snapshots.size(), listedRecords,
                Math.max(logMessages, recording.messages()), Math.max(first, 0), last);
        Diagnostics diagnostics = new Diagnostics(unmatchedFrees, List.copyOf(unmatchedFreeExamples),
                duplicateAllocs, List.copyOf(duplicateAllocExamples), freesInsideBlocks, List.copyOf(freeInsideBlockExamples),
                failedAllocs, failedAllocBytes, List.copyOf(failedAllocExamples), nullFrees, overflows, dropped, reorderedPairs);
        List<Trend> trends = TrendAnalysis.of(samples);
        Incidents incidents = new Incidents(List.copyOf(matched), corruptionCount, List.copyOf(crashes), crashCount,
                List.copyOf(samples), sampleCount);
        Map<Integer, Growth> growth = GrowthAnalysis.of(leaks, counts.firstNs(), counts.lastNs());
        return new LeakReport(recording, chip, counts, List.copyOf(leaks), group(leaks, perSnapshotStacks, growth), regions, diagnostics,
                List.copyOf(snapshots), incidents, trends,
                cycleMarker == null ? null : CycleAnalysis.of(markers, leaks, lastNs, trends, cycleOptions),
                timeline.points(), new LeakReport.Allocated(java.util.Arrays.copyOf(allocatedBytes, recording.stacks().size()),
                        java.util.Arrays.copyOf(allocatedBlocks, recording.stacks().size())));
    }

    /**
     * A live block as reported. In heap listings a block's own time is that of the listing it first appeared in
     * (a dump prints no allocation times), so cycles and growth can place it.
     */
    private LeakedBlock block(int i, Chip chip) {
        Region region = chip != null ? chip.heapRegion(live.address(i)) : switch (Alloc.Memory.values()[live.memory(i)]) {
            case INTERNAL -> Region.INTERNAL; // the capture's own word, where the chip's memory map is not known
            case PSRAM -> Region.PSRAM;
            case UNSTATED -> Region.UNKNOWN;
        };
        int since = snapshots.isEmpty() ? -1 : Math.min(since(i), snapshots.size() - 1);
        long time = since >= 0 && since < snapshots.size() - 1 ? snapshots.get(since).timeNs() : live.time(i);
        return new LeakedBlock(live.address(i), live.size(i), time, live.core(i), live.context(i), live.stack(i), region, since);
    }

    /** Whether a listing's record is a block the previous listing had too (same address, size and call stack). */
    private boolean listedBefore(Alloc a) {
        int j = beforeListing == null || snapshots.isEmpty() ? -1 : beforeListing.find(a.address());
        return j >= 0 && beforeListing.size(j) == a.size() && beforeListing.stack(j) == a.stack();
    }

    /** The listing from which live block {@code i} has been present without a break: an earlier one, or the current. */
    private int since(int i) {
        int j = presentSince.find(live.address(i));
        return j >= 0 && presentSince.size(j) == live.size(i) && presentSince.stack(j) == live.stack(i)
                ? (int) presentSince.seq(j) : snapshots.size();
    }

    private static List<LeakGroup> group(List<LeakedBlock> leaks, List<Map<Integer, Long>> perSnapshotStacks, Map<Integer, Growth> growth) {
        Map<Integer, List<LeakedBlock>> byStack = new LinkedHashMap<>();
        for (LeakedBlock b : leaks) {
            byStack.computeIfAbsent(b.stack(), k -> new ArrayList<>()).add(b);
        }
        List<LeakGroup> groups = new ArrayList<>(byStack.size());
        for (Map.Entry<Integer, List<LeakedBlock>> entry : byStack.entrySet()) {
            long bytes = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            TreeMap<Long, Long> sizes = new TreeMap<>();
            Map<Integer, Long> contexts = new HashMap<>();
            TreeMap<Integer, Long> cores = new TreeMap<>();
            TreeMap<Region, Long> regions = new TreeMap<>();
            for (LeakedBlock b : entry.getValue()) {
                bytes += b.size();
                first = Math.min(first, b.timeNs());
                last = Math.max(last, b.timeNs());
                sizes.merge(b.size(), 1L, Long::sum);
                contexts.merge(b.context(), 1L, Long::sum);
                cores.merge(b.core(), 1L, Long::sum);
                regions.merge(b.region(), b.size(), Long::sum);
            }
            List<Integer> byCount = new ArrayList<>(contexts.keySet());
            byCount.sort(Comparator.<Integer>comparingLong(contexts::get).reversed().thenComparing(Comparator.naturalOrder()));
            List<Long> perSnapshot = new ArrayList<>(perSnapshotStacks.size());
            for (Map<Integer, Long> counts : perSnapshotStacks) {
                perSnapshot.add(counts.getOrDefault(entry.getKey(), 0L));
            }
            groups.add(new LeakGroup(entry.getKey(), entry.getValue().size(), bytes, sizes, List.copyOf(byCount),
                    List.copyOf(cores.keySet()), first, last, regions, List.copyOf(perSnapshot),
                    growth.getOrDefault(entry.getKey(), new Growth(Growth.Kind.UNKNOWN, 0))));
        }
        groups.sort(Comparator.comparingLong(LeakGroup::bytes).reversed()
                .thenComparing(Comparator.comparingLong(LeakGroup::blocks).reversed())
                .thenComparingLong(LeakGroup::firstNs));
        return List.copyOf(groups);
    }
}
