package heapscope.analysis;

import heapscope.analysis.Incidents.Freed;
import heapscope.analysis.Incidents.MatchedCorruption;
import heapscope.analysis.Incidents.Placement;
import heapscope.chip.Region;
import heapscope.trace.Corruption;
import heapscope.trace.Corruption.Side;

import java.util.function.IntFunction;

/**
 * Names the traced block a memory error concerns, live or recently freed, from where its address lies: KASAN's
 * shadow nibble tells which side to look on (a right redzone is past the end of the block below, a left redzone
 * before the start of the block above, freed memory inside a freed block); a poisoning report's address is the
 * block, its head canary just before it, or its tail just past it. Asked only for the reports kept, so the probes
 * cost nothing per event.
 */
final class BlockLocator {
    /** How far from a block an address may lie and still be its redzone or canary. */
    static final long REACH = 64;
    /** Probed as {@link LiveBlocks} probes, with its alignment and probe limit. */
    private static final long ALIGN = LiveBlocks.ALIGN;
    private static final long PROBE_LIMIT = LiveBlocks.PROBE_LIMIT;

    private final LiveBlocks live;
    private final RecentlyFreed freed;
    private final IntFunction<LeakedBlock> liveBlock;

    /** @param liveBlock live slot -> the block as reported */
    BlockLocator(LiveBlocks live, RecentlyFreed freed, IntFunction<LeakedBlock> liveBlock) {
        this.live = live;
        this.freed = freed;
        this.liveBlock = liveBlock;
    }

    MatchedCorruption locate(Corruption c) {
        long a = c.address();
        if (a == 0) {
            return new MatchedCorruption(c, null, null, null);
        }
        Side side = c.access() == null ? null : c.access().side();
        int i = side == null ? live.near(a) : switch (side) {
            case CONTAINING -> c.access().freed() ? -1 : containing(a);
            case BELOW -> below(a);
            case ABOVE -> above(a);
            case ANY -> {
                int j = containing(a);
                j = j >= 0 ? j : below(a);
                yield j >= 0 ? j : above(a);
            }
        };
        if (i >= 0) {
            LeakedBlock b = liveBlock.apply(i);
            return new MatchedCorruption(c, b, Placement.of(a, b, null), null);
        }
        for (int n = 0; n < freed.size(); n++) { // newest first: an address is reused
            int k = freed.newest(n);
            if (freedMatches(k, a, side)) {
                LeakedBlock b = new LeakedBlock(freed.address(k), freed.size(k), freed.allocNs(k), freed.core(k), freed.context(k),
                        freed.allocStack(k), Region.UNKNOWN, -1);
                return new MatchedCorruption(c, b, Placement.of(a, b, new Freed(freed.freeNs(k), freed.freeStack(k))), null);
            }
        }
        return new MatchedCorruption(c, null, null, null);
    }

    private boolean freedMatches(int k, long a, Side side) {
        long start = freed.address(k);
        long end = start + freed.size(k);
        if (side == null) {
            return a >= start - 8 && a <= end + 8; // poisoning: the block, its head or its tail
        }
        return switch (side) {
            case CONTAINING -> a >= start && a < end;
            case BELOW -> a >= start && a - end < REACH;
            case ABOVE -> a < start && start - a <= REACH;
            case ANY -> a >= start - REACH && a - end < REACH;
        };
    }

    private int containing(long a) {
        int i = live.find(a);
        return i >= 0 ? i : live.findContaining(a);
    }

    /** The live block nearest below {@code a} whose end lies less than REACH bytes before it (or that holds it). */
    private int below(long a) {
        for (long start = a & ~(ALIGN - 1); start > 0 && a - start <= PROBE_LIMIT + REACH; start -= ALIGN) {
            int i = live.find(start);
            if (i >= 0) {
                return a - (start + live.size(i)) < REACH ? i : -1; // blocks do not overlap: the nearest start is the only one
            }
        }
        for (long d = 1; d <= REACH; d += ALIGN) { // a large block, whose start is beyond the probes
            int i = live.findContaining(a - d);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The live block starting at most REACH bytes above {@code a}. */
    private int above(long a) {
        for (long start = (a + ALIGN) & ~(ALIGN - 1); start - a <= REACH; start += ALIGN) {
            int i = live.find(start);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }
}
