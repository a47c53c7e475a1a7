package heapscope.analysis;

import heapscope.chip.Region;
import heapscope.util.IndexSort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The leaked blocks grouped by call stack, largest first, with each stack's sizes, tasks, cores, regions, listings
 * and growth. The grouping works on primitive arrays (a counting sort of the blocks by stack id, one row of
 * figures per stack); only the groups kept become records. At most {@link #MAX_GROUPS} are kept: beyond, the
 * groups with the fewest bytes are counted as one last group under {@code StackTable.other()}, so totals stay
 * exact while memory for the groups, and every report's size, is bounded.
 *
 * @param groups       the groups kept, largest first, then the folded ones' group (if any)
 * @param foldedStacks the stacks counted in the last, folded group (0 when nothing was folded)
 */
record LeakGroups(List<LeakGroup> groups, int foldedStacks) {
    /**
     * Leak groups kept with their own figures: far more than a report can usefully list, few enough that groups
     * cost tens of MiB, not hundreds. Measured on 1 M leaking stacks (docs/PERFORMANCE.md): kept one by
     * one, analyze's heap peaked at 743 MiB after collections, with this cap at 584 MiB (some 170 bytes a group in
     * the analysis and the text report; JSON and HTML spend more per group they write).
     */
    static final int MAX_GROUPS = 1 << 16;

    /**
     * @param leaks    the leaked blocks in allocation order; those of folded groups are replaced by the same blocks under
     *                 the folded group's stack, so that every block's stack is a group's
     * @param listings the heap listings, for each group's blocks per listing
     * @param other    the stack id to count folded groups under, asked for only when some are folded
     */
    static LeakGroups of(List<LeakedBlock> leaks, HeapListings listings, long startNs, long endNs, int maxGroups, IntSupplier other) {
        int n = leaks.size();
        int stacks = 0;
        for (LeakedBlock b : leaks) {
            stacks = Math.max(stacks, b.stack() + 1);
        }
        // counting sort by stack: each stack's blocks in one run, in allocation order
        int[] from = new int[stacks + 1];
        for (LeakedBlock b : leaks) {
            from[b.stack() + 1]++;
        }
        int count = 0;
        for (int s = 0; s < stacks; s++) {
            count += from[s + 1] > 0 ? 1 : 0;
            from[s + 1] += from[s];
        }
        int[] order = new int[n];
        int[] next = from.clone();
        for (int i = 0; i < n; i++) {
            order[next[leaks.get(i).stack()]++] = i;
        }
        // one row per stack: its run, bytes and first time; the first block's index breaks ties as first seen
        int[] stackOf = new int[count];
        long[] bytes = new long[count];
        long[] firstNs = new long[count];
        int g = 0;
        for (int s = 0; s < stacks; s++) {
            if (from[s + 1] == from[s]) {
                continue;
            }
            long sum = 0;
            long first = Long.MAX_VALUE;
            for (int k = from[s]; k < from[s + 1]; k++) {
                LeakedBlock b = leaks.get(order[k]);
                sum += b.size();
                first = Math.min(first, b.timeNs());
            }
            stackOf[g] = s;
            bytes[g] = sum;
            firstNs[g++] = first;
        }
        int[] rank = new int[count];
        for (int i = 0; i < count; i++) {
            rank[i] = i;
        }
        IndexSort.sort(rank, (a, b) -> {
            int c = Long.compare(bytes[b], bytes[a]);
            if (c == 0) {
                c = Integer.compare(blocks(from, stackOf[b]), blocks(from, stackOf[a]));
            }
            if (c == 0) {
                c = Long.compare(firstNs[a], firstNs[b]);
            }
            return c != 0 ? c : Integer.compare(order[from[stackOf[a]]], order[from[stackOf[b]]]);
        });
        int kept = Math.min(count, maxGroups);
        List<LeakGroup> groups = new ArrayList<>(kept + 1);
        for (int r = 0; r < kept; r++) {
            int s = stackOf[rank[r]];
            List<Long> perListing = new ArrayList<>(listings.count());
            for (int l = 0; l < listings.count(); l++) {
                perListing.add(listings.blocks(l, s));
            }
            groups.add(group(s, leaks, order, from[s], from[s + 1], perListing, growth(leaks, order, from[s], from[s + 1], startNs, endNs)));
        }
        BitSet folded = new BitSet();
        if (kept == count) {
            return new LeakGroups(List.copyOf(groups), 0);
        }
        int restBlocks = 0;
        for (int r = kept; r < count; r++) {
            folded.set(stackOf[rank[r]]);
            restBlocks += blocks(from, stackOf[rank[r]]);
        }
        int[] rest = new int[restBlocks];
        int at = 0;
        for (int s = folded.nextSetBit(0); s >= 0; s = folded.nextSetBit(s + 1)) {
            System.arraycopy(order, from[s], rest, at, blocks(from, s));
            at += blocks(from, s);
        }
        Arrays.sort(rest); // allocation order, as in every group
        List<Long> perListing = new ArrayList<>(listings.count());
        for (int l = 0; l < listings.count(); l++) {
            int[] listed = listings.listedStacks(l);
            long[] counts = listings.listedCounts(l);
            long sum = 0;
            for (int i = 0; i < listed.length; i++) {
                sum += folded.get(listed[i]) ? counts[i] : 0;
            }
            perListing.add(sum);
        }
        int id = other.getAsInt();
        groups.add(group(id, leaks, rest, 0, rest.length, perListing, new Growth(Growth.Kind.UNKNOWN, 0)));
        for (int i : rest) { // in place: a copy of a million blocks would cost as much again as the blocks
            LeakedBlock b = leaks.get(i);
            leaks.set(i, new LeakedBlock(b.address(), b.size(), b.timeNs(), b.core(), b.context(), id, b.region(), b.sinceSnapshot()));
        }
        return new LeakGroups(List.copyOf(groups), count - kept);
    }

    private static int blocks(int[] from, int stack) {
        return from[stack + 1] - from[stack];
    }

    /** The group of the blocks {@code leaks[idx[lo..hi)]} under STACK. */
    private static LeakGroup group(int stack, List<LeakedBlock> leaks, int[] idx, int lo, int hi, List<Long> perListing, Growth growth) {
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        TreeMap<Long, Long> sizes = new TreeMap<>();
        Map<Integer, Long> contexts = new HashMap<>();
        TreeMap<Integer, Long> cores = new TreeMap<>();
        TreeMap<Region, Long> regions = new TreeMap<>();
        Region[] regionOf = Region.values();
        SizeCounts sizeCounts = new SizeCounts(); // sizes vary from block to block: a map update each cost most
        Run context = new Run((k, n) -> contexts.merge((int) k, n, Long::sum));
        Run core = new Run((k, n) -> cores.merge((int) k, n, Long::sum));
        Run region = new Run((k, n) -> regions.merge(regionOf[(int) k], n, Long::sum));
        for (int k = lo; k < hi; k++) {
            LeakedBlock b = leaks.get(idx[k]);
            bytes += b.size();
            first = Math.min(first, b.timeNs());
            last = Math.max(last, b.timeNs());
            sizeCounts.add(b.size());
            context.add(b.context(), 1);
            core.add(b.core(), 1);
            region.add(b.region().ordinal(), b.size());
        }
        sizeCounts.into(sizes);
        context.end();
        core.end();
        region.end();
        List<Integer> byCount = new ArrayList<>(contexts.keySet());
        byCount.sort(Comparator.<Integer>comparingLong(contexts::get).reversed().thenComparing(Comparator.naturalOrder()));
        return new LeakGroup(stack, hi - lo, bytes, sizes, List.copyOf(byCount), List.copyOf(cores.keySet()), first, last, regions,
                List.copyOf(perListing), growth);
    }

    /**
     * How many blocks have each size, by open addressing on the size: a stack's blocks have few distinct sizes, so
     * the table stays small where sorting every block's size cost most of the grouping.
     */
    private static final class SizeCounts {
        private long[] keys = new long[64];
        private long[] counts = new long[64]; // 0: the slot is empty
        private int distinct;

        void add(long size) {
            int k = home(size);
            while (counts[k] != 0 && keys[k] != size) {
                k = (k + 1) & (keys.length - 1);
            }
            if (counts[k]++ == 0) {
                keys[k] = size;
                if (++distinct * 2 > keys.length) {
                    grow();
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldCounts = counts;
            keys = new long[oldKeys.length * 2];
            counts = new long[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldCounts[i] != 0) {
                    int k = home(oldKeys[i]);
                    while (counts[k] != 0) {
                        k = (k + 1) & (keys.length - 1);
                    }
                    keys[k] = oldKeys[i];
                    counts[k] = oldCounts[i];
                }
            }
        }

        private int home(long size) {
            return (int) (size * 0x9E3779B97F4A7C15L >>> 32) & (keys.length - 1);
        }

        void into(Map<Long, Long> sizes) {
            for (int i = 0; i < keys.length; i++) {
                if (counts[i] != 0) {
                    sizes.put(keys[i], counts[i]);
                }
            }
        }
    }

    /**
     * Sums a run of equal keys before it goes into a map: a stack's blocks mostly repeat one task, core and region,
     * and a boxed map update per block cost more than the rest of the grouping.
     */
    private static final class Run {
        interface Into {
            void add(long key, long sum);
        }

        private final Into into;
        private long key;
        private long sum;
        private boolean open;

        Run(Into into) {
            this.into = into;
        }

        void add(long k, long value) {
            if (open && k != key) {
                end();
            }
            key = k;
            sum += value;
            open = true;
        }

        /** The run so far goes into the map. */
        void end() {
            if (open) {
                into.add(key, sum);
            }
            sum = 0;
            open = false;
        }
    }

    /** The growth of one stack's blocks {@code leaks[idx[lo..hi)]}: their times and sizes in time order, ties as allocated. */
    private static Growth growth(List<LeakedBlock> leaks, int[] idx, int lo, int hi, long startNs, long endNs) {
        int n = hi - lo;
        long[] t = new long[n];
        long[] z = new long[n];
        boolean sorted = true;
        for (int k = 0; k < n; k++) {
            LeakedBlock b = leaks.get(idx[lo + k]);
            t[k] = b.timeNs();
            z[k] = b.size();
            sorted &= k == 0 || t[k - 1] <= t[k];
        }
        if (!sorted) {
            int[] byTime = new int[n];
            for (int k = 0; k < n; k++) {
                byTime[k] = k;
            }
            IndexSort.sort(byTime, (a, b) -> Long.compare(t[a], t[b]));
            long[] st = new long[n];
            long[] sz = new long[n];
            for (int k = 0; k < n; k++) {
                st[k] = t[byTime[k]];
                sz[k] = z[byTime[k]];
            }
            return GrowthAnalysis.of(st, sz, startNs, endNs);
        }
        return GrowthAnalysis.of(t, z, startNs, endNs);
    }
}
