package heapscope.analysis;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.trace.Alloc;
import heapscope.trace.HeapSample;
import heapscope.util.IndexSort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * What held the memory, fed by {@link LeakAnalysis}'s one pass ({@link PeakReport}). Memory follows the distinct
 * call stacks, not the events: per-stack totals now and at the peak ({@link MomentTotals}, whose moments copy only
 * what changed), and per 1 MiB address window and size class for the regions and sizes at the peak. Which of the
 * peak's blocks were never freed is read off the live set at the end: a block still live that was allocated
 * before the peak was live at the peak (its allocation number is below the peak's) and never freed.
 */
final class PeakAnalysis {
    /** Call sites a moment, the stack peaks and the temporary allocations list; the rest are counted. */
    static final int MAX_SITES = 10_000;
    /** Failed allocations whose live set is kept; the rest are counted. */
    static final int MAX_FAILURES = 10;
    /** Call sites kept of the live set at a failed allocation. */
    static final int FAILURE_SITES = 20;
    private static final int CLASSES = 64;
    /** Address windows told apart (1 MiB each; a chip's heap regions do not share one); beyond, the last takes the rest. */
    private static final int MAX_WINDOWS = 64;

    private final TemporaryRule rule;
    private final MomentTotals stacks = new MomentTotals(); // per stack, moment: the peak
    private final MomentTotals low = new MomentTotals(); // per stack, moment: the lowest free heap
    private final MomentTotals cells = new MomentTotals(); // per window * CLASSES + size class, moment: the peak
    private final MomentTotals cellCost = new MomentTotals(); // the same cells' overhead as "bytes"

    // per stack
    private long[] stackPeak = new long[64];
    private long[] stackPeakBlocks = new long[64];
    private long[] firstAddress = new long[64];
    private int[] firstContext = new int[64];
    private byte[] firstMemory = new byte[64];
    private long[] tempBlocks = new long[64];
    private long[] tempBytes = new long[64];
    private int stackCount;

    // per window: its key (address >>> 20), the lowest address seen in it and the capture's word on its memory
    private final long[] windowKey = new long[MAX_WINDOWS];
    private final long[] windowAddress = new long[MAX_WINDOWS];
    private final byte[] windowMemory = new byte[MAX_WINDOWS];
    private int windows;
    private int lastWindow = -1;

    private final long[] allocBlocks = new long[CLASSES];
    private final long[] allocBytes = new long[CLASSES];
    private final long[] allocCost = new long[CLASSES];

    private long peakBytes = -1;
    private long peakBlocks;
    private long peakNs;
    private long peakSeq;
    private long lowFree = -1;
    private HeapSample lowSample;
    private long lowBytes;
    private long lowBlocks;
    private long lowSeq;
    private final List<Failure> failures = new ArrayList<>();
    private long failedAllocs;
    private boolean listed;
    /** The rows a listing changed, reused from one listing to the next. */
    private int[] changedRows = new int[64];

    /** A failed allocation's moment as taken: the live set's largest stacks, their leak part filled at the end. */
    private record Failure(Alloc alloc, long liveBytes, long liveBlocks, long seq, int siteCount, int[] stacks, long[] bytes, long[] blocks,
                           long[] leakBytes, long[] leakBlocks) {
    }

    PeakAnalysis(TemporaryRule rule) {
        this.rule = rule;
    }

    /** A new allocation (not a heap listing's record). */
    void allocated(Alloc a) {
        int c = HeapCost.sizeClass(a.size());
        allocBlocks[c]++;
        allocBytes[c] += a.size();
        allocCost[c] += HeapCost.overhead(a.size());
    }

    /**
     * A block joins the live set; {@code liveBytes}/{@code liveBlocks} after it, {@code nextSeq} the allocation
     * number the next block will get.
     */
    void added(int stack, long size, long address, int context, int memory, long timeNs, long liveBytes, long liveBlocks, long nextSeq) {
        if (stack >= stackPeak.length) {
            growStacks(stack);
        }
        stackCount = Math.max(stackCount, stack + 1);
        if (firstAddress[stack] == 0) {
            firstAddress[stack] = address;
            firstContext[stack] = context;
            firstMemory[stack] = (byte) memory;
        }
        stacks.add(stack, size);
        low.add(stack, size);
        int cell = cell(address, memory, size);
        cells.add(cell, size);
        cellCost.add(cell, HeapCost.overhead(size));
        long now = stacks.bytesNow(stack);
        if (now > stackPeak[stack]) {
            stackPeak[stack] = now;
            stackPeakBlocks[stack] = stacks.blocksNow(stack);
        }
        if (liveBytes > peakBytes) {
            peak(timeNs, liveBytes, liveBlocks, nextSeq);
        }
    }

    /** A block leaves the live set: freed ({@code freed}: judged temporary or not) or replaced by one at its address. */
    void removed(int stack, long size, long address, int memory, boolean freed, long between, long elapsedNs) {
        stacks.remove(stack, size);
        low.remove(stack, size);
        int cell = cell(address, memory, size);
        cells.remove(cell, size);
        cellCost.remove(cell, HeapCost.overhead(size));
        if (freed && rule.temporary(between, elapsedNs)) {
            tempBlocks[stack]++;
            tempBytes[stack] += size;
        }
    }

    /** An allocation whose free the cores' clocks sorted before it: freed at once, never in the live set. */
    void freedAtOnce(int stack, long size) {
        if (stack >= stackPeak.length) {
            growStacks(stack);
        }
        stackCount = Math.max(stackCount, stack + 1);
        if (rule.temporary(0, 0)) {
            tempBlocks[stack]++;
            tempBytes[stack] += size;
        }
    }

    void failed(Alloc a, long liveBytes, long liveBlocks, long nextSeq) {
        failedAllocs++;
        if (failures.size() >= MAX_FAILURES) {
            return;
        }
        int[] held = stacksWhere(s -> stacks.blocksNow(s) > 0);
        int[] top = largest(held, stacks::bytesNow, FAILURE_SITES);
        long[] bytes = new long[top.length];
        long[] blocks = new long[top.length];
        for (int i = 0; i < top.length; i++) {
            bytes[i] = stacks.bytesNow(top[i]);
            blocks[i] = stacks.blocksNow(top[i]);
        }
        failures.add(new Failure(a, liveBytes, liveBlocks, nextSeq, held.length, top, bytes, blocks, new long[top.length], new long[top.length]));
    }

    void sample(HeapSample h, long liveBytes, long liveBlocks, long nextSeq) {
        boolean empty = h.free() == 0 && h.allocated() == 0; // a capability no heap has: nothing free, nothing in use
        if (h.free() < 0 || empty || (lowFree >= 0 && h.free() >= lowFree)) {
            return;
        }
        lowFree = h.free();
        lowSample = h;
        lowBytes = liveBytes;
        lowBlocks = liveBlocks;
        lowSeq = nextSeq;
        low.take();
    }

    /**
     * A complete heap listing replaced the live set with {@code blocks}: the totals follow the rows {@code changes}
     * names, all removals first, so that no stack's total passes through a value above both its old and its new one;
     * additions in row order, as a rebuild would visit them. Where the changed rows are not known (an end of a listing
     * whose start was not seen) the totals are rebuilt from {@code blocks}.
     */
    void listing(ListingChanges changes, LiveBlocks blocks, long timeNs, long liveBytes, long nextSeq) {
        listed = true;
        LiveBlocks before = changes.before();
        if (!changes.known()) {
            stacks.clear();
            low.clear();
            cells.clear();
            cellCost.clear();
        }
        int old = before == null ? 0 : before.rows();
        int rows = changes.known() ? changes.count() : blocks.rows();
        if (changedRows.length < rows) {
            changedRows = new int[Math.max(rows, 2 * changedRows.length)];
        }
        int changed = 0;
        for (int k = 0; k < rows; k++) {
            int i = changes.known() ? changes.rows()[k] : k;
            boolean was = i < old && before.occupied(i);
            boolean is = i < blocks.rows() && blocks.occupied(i);
            if (was && is && before.address(i) == blocks.address(i) && before.size(i) == blocks.size(i)
                    && before.stack(i) == blocks.stack(i) && before.memory(i) == blocks.memory(i)) {
                continue;
            }
            if (was) {
                removed(before.stack(i), before.size(i), before.address(i), before.memory(i), false, 0, 0);
            }
            if (is) {
                changedRows[changed++] = i;
            }
        }
        for (int k = 0; k < changed; k++) {
            int i = changedRows[k];
            added(blocks.stack(i), blocks.size(i), blocks.address(i), blocks.context(i), blocks.memory(i), timeNs,
                    // the live bytes only once the whole listing is in: a peak inside it would be half a listing
                    -1, 0, nextSeq);
        }
        if (liveBytes > peakBytes) {
            peak(timeNs, liveBytes, blocks.size(), nextSeq);
        }
    }

    /** A new highest live total: the per-stack and per-cell totals now are the peak's. */
    private void peak(long timeNs, long liveBytes, long liveBlocks, long nextSeq) {
        peakBytes = liveBytes;
        peakBlocks = liveBlocks;
        peakNs = timeNs;
        peakSeq = nextSeq;
        stacks.take();
        cells.take();
        cellCost.take();
    }

    /** The cell of a block: its address window and size class. */
    private int cell(long address, int memory, long size) {
        long key = address >>> 20;
        int w = lastWindow;
        if (w < 0 || windowKey[w] != key) {
            w = -1;
            for (int i = 0; i < windows; i++) {
                if (windowKey[i] == key) {
                    w = i;
                    break;
                }
            }
            if (w < 0 && windows < MAX_WINDOWS) {
                w = windows++;
                windowKey[w] = key;
                windowAddress[w] = address;
                windowMemory[w] = (byte) memory;
            } else if (w < 0) {
                w = MAX_WINDOWS - 1;
            }
            lastWindow = w;
        }
        if (address < windowAddress[w]) {
            windowAddress[w] = address;
        }
        return w * CLASSES + HeapCost.sizeClass(size);
    }

    private void growStacks(int stack) {
        int n = Math.max(stack + 1, stackPeak.length * 2);
        stackPeak = Arrays.copyOf(stackPeak, n);
        stackPeakBlocks = Arrays.copyOf(stackPeakBlocks, n);
        firstAddress = Arrays.copyOf(firstAddress, n);
        firstContext = Arrays.copyOf(firstContext, n);
        firstMemory = Arrays.copyOf(firstMemory, n);
        tempBlocks = Arrays.copyOf(tempBlocks, n);
        tempBytes = Arrays.copyOf(tempBytes, n);
    }

    /**
     * The report, with the leak part of each moment read off {@code end}, the live set as the capture left it.
     *
     * @param chip      memory map for the regions, or null: the capture's word on each block's memory
     * @param allocated every allocation per stack, for the share of temporary ones
     */
    PeakReport report(LiveBlocks end, Chip chip, LeakReport.Allocated allocated) {
        long[] peakLeak = new long[stackCount];
        long[] peakLeakBlocks = new long[stackCount];
        long[] lowLeak = new long[stackCount];
        long[] lowLeakBlocks = new long[stackCount];
        List<Map<Integer, Integer>> failureRows = new ArrayList<>();
        for (Failure f : failures) {
            Arrays.fill(f.leakBytes(), 0); // a live view reports more than once
            Arrays.fill(f.leakBlocks(), 0);
            Map<Integer, Integer> rows = new HashMap<>();
            for (int i = 0; i < f.stacks().length; i++) {
                rows.put(f.stacks()[i], i);
            }
            failureRows.add(rows);
        }
        for (int i = 0; i < end.rows(); i++) {
            if (!end.occupied(i)) {
                continue;
            }
            int s = end.stack(i);
            long seq = end.seq(i);
            long size = end.size(i);
            if (s < stackCount && seq < peakSeq) {
                peakLeak[s] += size;
                peakLeakBlocks[s]++;
            }
            if (s < stackCount && lowSample != null && seq < lowSeq) {
                lowLeak[s] += size;
                lowLeakBlocks[s]++;
            }
            for (int k = 0; k < failures.size(); k++) {
                Failure f = failures.get(k);
                Integer row = failureRows.get(k).get(s);
                if (row != null && seq < f.seq()) {
                    f.leakBytes()[row] += size;
                    f.leakBlocks()[row]++;
                }
            }
        }
        PeakReport.Moment peak = peakBytes <= 0 ? null
                : moment("peak", peakNs, peakBytes, peakBlocks, null, stacks, peakLeak, peakLeakBlocks, chip);
        PeakReport.Moment lowWater = lowSample == null ? null : moment("low-water", lowSample.timeNs(), lowBytes, lowBlocks,
                new PeakReport.Detail(-1, -1, lowSample.label(), lowSample.free()), low, lowLeak, lowLeakBlocks, chip);
        List<PeakReport.Moment> failed = new ArrayList<>();
        for (Failure f : failures) {
            List<PeakReport.Site> sites = new ArrayList<>();
            for (int i = 0; i < f.stacks().length; i++) {
                sites.add(site(f.stacks()[i], f.bytes()[i], f.blocks()[i], f.leakBytes()[i], f.leakBlocks()[i], chip));
            }
            failed.add(new PeakReport.Moment("failed-alloc", f.alloc().timeNs(), f.liveBytes(), f.liveBlocks(),
                    new PeakReport.Detail(f.alloc().size(), f.alloc().stack(), null, -1), List.copyOf(sites), f.siteCount(), !listed));
        }
        return new PeakReport(peak, lowWater, List.copyOf(failed), failedAllocs, stackPeaks(), temporary(allocated),
                classes(allocBlocks, allocBytes, allocCost), livePeakClasses(), costs(chip));
    }

    private PeakReport.Moment moment(String kind, long timeNs, long bytes, long blocks, PeakReport.Detail what, MomentTotals at,
                                     long[] leak, long[] leakBlocks, Chip chip) {
        int[] held = stacksWhere(s -> at.blocksAt(s) > 0);
        int[] top = largest(held, at::bytesAt, MAX_SITES);
        List<PeakReport.Site> sites = new ArrayList<>(top.length);
        for (int s : top) {
            sites.add(site(s, at.bytesAt(s), at.blocksAt(s), leak[s], leakBlocks[s], chip));
        }
        return new PeakReport.Moment(kind, timeNs, bytes, blocks, what, List.copyOf(sites), held.length, !listed);
    }

    /** The stacks that pass {@code test}, in id order. */
    private int[] stacksWhere(IntPredicate test) {
        int[] out = new int[stackCount];
        int n = 0;
        for (int s = 0; s < stackCount; s++) {
            if (test.test(s)) {
                out[n++] = s;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private PeakReport.Site site(int stack, long bytes, long blocks, long leakBytes, long leakBlocks, Chip chip) {
        return new PeakReport.Site(stack, bytes, blocks, listed ? -1 : leakBytes, listed ? -1 : leakBlocks,
                region(firstAddress[stack], firstMemory[stack], chip), firstContext[stack]);
    }

    private List<PeakReport.StackPeak> stackPeaks() {
        List<PeakReport.StackPeak> out = new ArrayList<>();
        for (int s : largest(stacksWhere(s -> stackPeak[s] > 0), s -> stackPeak[s], MAX_SITES)) {
            out.add(new PeakReport.StackPeak(s, stackPeak[s], stackPeakBlocks[s], stacks.bytesNow(s)));
        }
        return List.copyOf(out);
    }

    private PeakReport.Temporary temporary(LeakReport.Allocated allocated) {
        long blocks = 0;
        long bytes = 0;
        long allocations = 0;
        for (int s = 0; s < stackCount; s++) {
            allocations += allocated.blocks(s);
            blocks += tempBlocks[s];
            bytes += tempBytes[s];
        }
        int[] all = stacksWhere(s -> tempBlocks[s] > 0);
        List<PeakReport.TemporarySite> sites = new ArrayList<>();
        for (int s : largest(all, s -> tempBlocks[s], MAX_SITES)) {
            sites.add(new PeakReport.TemporarySite(s, tempBlocks[s], tempBytes[s], allocated.blocks(s)));
        }
        return new PeakReport.Temporary(rule, blocks, bytes, allocations, List.copyOf(sites), all.length);
    }

    private static List<PeakReport.SizeClass> classes(long[] blocks, long[] bytes, long[] cost) {
        List<PeakReport.SizeClass> out = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            if (blocks[c] > 0) {
                out.add(new PeakReport.SizeClass(c == 0 ? 0 : 1L << c, c == 0 ? 1 : c == 63 ? Long.MAX_VALUE : (1L << (c + 1)) - 1,
                        blocks[c], bytes[c], cost[c]));
            }
        }
        return List.copyOf(out);
    }

    private List<PeakReport.SizeClass> livePeakClasses() {
        long[] blocks = new long[CLASSES];
        long[] bytes = new long[CLASSES];
        long[] cost = new long[CLASSES];
        for (int w = 0; w < windows; w++) {
            for (int c = 0; c < CLASSES; c++) {
                blocks[c] += cells.blocksAt(w * CLASSES + c);
                bytes[c] += cells.bytesAt(w * CLASSES + c);
                cost[c] += cellCost.bytesAt(w * CLASSES + c);
            }
        }
        return classes(blocks, bytes, cost);
    }

    private List<PeakReport.RegionCost> costs(Chip chip) {
        Map<Region, long[]> by = new EnumMap<>(Region.class);
        for (int w = 0; w < windows; w++) {
            long[] t = by.computeIfAbsent(region(windowAddress[w], windowMemory[w], chip), r -> new long[3]);
            for (int c = 0; c < CLASSES; c++) {
                t[0] += cells.blocksAt(w * CLASSES + c);
                t[1] += cells.bytesAt(w * CLASSES + c);
                t[2] += cellCost.bytesAt(w * CLASSES + c);
            }
        }
        List<PeakReport.RegionCost> out = new ArrayList<>();
        by.forEach((r, t) -> {
            if (t[0] > 0) {
                out.add(new PeakReport.RegionCost(r, t[0], t[1], t[2]));
            }
        });
        return List.copyOf(out);
    }

    private static Region region(long address, int memory, Chip chip) {
        return chip != null ? chip.heapRegion(address) : LeakAnalysis.stated(memory);
    }

    /** The at most {@code k} of {@code keys} with the largest values, largest first; of equal ones the lower key. */
    private static int[] largest(int[] keys, IntToLongFunction value, int k) {
        IndexSort.sort(keys, (a, b) -> {
            int c = Long.compare(value.applyAsLong(b), value.applyAsLong(a));
            return c != 0 ? c : Integer.compare(a, b);
        });
        return keys.length <= k ? keys : Arrays.copyOf(keys, k);
    }
}
