package heapscope.coredump.heap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the dump tells of the heap at the crash: the regions walked, or why there are none. */
public sealed interface HeapAtCrash {
    /**
     * The registered regions in list order.
     *
     * @param warnings where the heap's metadata disagrees with itself or leaves the dump, one line each
     * @param layout   the layouts the walk read the heap with
     */
    record Walked(List<HeapRegion> regions, List<String> warnings, HeapLayout layout) implements HeapAtCrash {
        public Walked {
            regions = List.copyOf(regions);
            warnings = List.copyOf(warnings);
        }

        /** Every region's blocks added up. */
        public Totals totals() {
            long used = 0;
            long usedBytes = 0;
            long free = 0;
            long freeBytes = 0;
            long largest = 0;
            for (HeapRegion r : regions) {
                used += r.usedCount();
                usedBytes += r.usedBytes();
                free += r.freeCount();
                freeBytes += r.walkedFreeBytes();
                largest = Math.max(largest, r.largestFree());
            }
            return new Totals(used, usedBytes, free, freeBytes, largest);
        }

        /** The allocated blocks of every region by size, the largest total first (the live set at the crash). */
        public List<SizeClass> liveBySize() {
            Map<Long, Long> counts = new TreeMap<>();
            for (HeapRegion r : regions) {
                for (HeapBlock b : r.blocks()) {
                    if (b.used()) {
                        counts.merge(b.size(), 1L, Long::sum);
                    }
                }
            }
            List<SizeClass> out = new ArrayList<>();
            counts.forEach((size, count) -> out.add(new SizeClass(size, count)));
            out.sort(Comparator.comparingLong(SizeClass::bytes).reversed().thenComparingLong(SizeClass::size));
            return out;
        }

        /**
         * Why an allocation of {@code size} bytes with capabilities {@code caps} (-1: any) failed, judged from the
         * regions that have every one of them.
         */
        public Failure failure(long size, long caps) {
            long free = 0;
            long largest = 0;
            int matching = 0;
            for (HeapRegion r : regions) {
                long all = r.caps()[0] | r.caps()[1] | r.caps()[2];
                if (caps < 0 || (all & caps) == caps) {
                    matching++;
                    free += r.walkedFreeBytes();
                    largest = Math.max(largest, r.largestFree());
                }
            }
            Failure.Kind kind = matching == 0 ? Failure.Kind.NO_REGION : free < size ? Failure.Kind.EXHAUSTED
                    : largest < size ? Failure.Kind.FRAGMENTED : Failure.Kind.ROOM_AT_THE_DUMP;
            return new Failure(kind, matching, free, largest);
        }

        /** The allocated blocks by the task that made them, the most bytes first; empty without heap task tracking. */
        public List<Owner> liveByOwner() {
            Map<Long, long[]> by = new TreeMap<>();
            for (HeapRegion r : regions) {
                for (HeapBlock b : r.blocks()) {
                    if (b.used() && b.owner() != 0) {
                        long[] v = by.computeIfAbsent(b.owner(), k -> new long[2]);
                        v[0]++;
                        v[1] += b.size();
                    }
                }
            }
            List<Owner> out = new ArrayList<>();
            by.forEach((task, v) -> out.add(new Owner(task, v[0], v[1])));
            out.sort(Comparator.comparingLong(Owner::bytes).reversed().thenComparingLong(Owner::task));
            return out;
        }

        /** Every line the report's headline needs: the walk's warnings, then each region whose walk stopped early. */
        public List<String> problems() {
            List<String> out = new ArrayList<>(warnings);
            for (HeapRegion r : regions) {
                if (r.stopReason() != null) {
                    out.add(String.format("region 0x%08x-0x%08x is %s: %s", r.start(), r.end(), r.blocks().isEmpty() ? "not walked"
                            : "walked only in part (" + r.blocks().size() + " blocks)", r.stopReason()));
                }
            }
            return out;
        }
    }

    /**
     * A failed allocation against the heap at the crash.
     *
     * @param regions the regions with every capability it asked for
     * @param free    their free bytes in all
     * @param largest their largest free block
     */
    record Failure(Kind kind, int regions, long free, long largest) {
        public enum Kind {
            /** No region has every capability asked for. */
            NO_REGION,
            /** Less was free in all than asked for. */
            EXHAUSTED,
            /** Enough was free, but in no block large enough. */
            FRAGMENTED,
            /** A large enough block is free in the dump: the heap changed between the failure and the dump. */
            ROOM_AT_THE_DUMP
        }
    }

    /** What one task holds: the blocks it allocated that are still allocated. */
    record Owner(long task, long blocks, long bytes) {
    }

    /** The blocks of the regions walked, added up. */
    record Totals(long usedBlocks, long usedBytes, long freeBlocks, long freeBytes, long largestFree) {
    }

    /** Allocated blocks of one size. */
    record SizeClass(long size, long count) {
        public long bytes() {
            return size * count;
        }
    }

    /** The heap was not read: the reason, for the report. */
    record NotWalked(String reason) implements HeapAtCrash {
    }
}
