package heapscope.analysis;

import heapscope.trace.Alloc;
import heapscope.trace.Free;
import heapscope.trace.Recording;
import heapscope.trace.Snapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Heap listings read by their order (a block listed again at its place in the last listing): the totals and dates must
 * be those of a lookup in the set before the listing, also where the order breaks, the set changed between listings
 * or a listing freed or repeated a block.
 */
class RelistedBlocksTest {
    private final Recording rec = new Recording();
    private final int s0 = rec.stacks().intern(0x400D1000L);
    private final int s1 = rec.stacks().intern(0x400D2000L);
    private final LeakAnalysis analysis = new LeakAnalysis(null);
    private int listing;
    private long time;

    private void list(long[]... records) {
        time += 1_000;
        analysis.accept(new Snapshot(time, 0, listing, Snapshot.Boundary.START, "heap_trace_dump", listing, Snapshot.Declared.NONE, false));
        for (long[] r : records) {
            if (r.length == 1) {
                analysis.accept(new Free(time, 0, 0, r[0], 0)); // the record before was freed (HEAP_TRACE_ALL)
            } else {
                analysis.accept(new Alloc(time, 0, 0, r[0], r[1], (int) r[2]));
            }
        }
        analysis.accept(new Snapshot(time, 0, listing++, Snapshot.Boundary.END, "heap_trace_dump", listing, Snapshot.Declared.NONE, false));
    }

    private long[] block(long address, long size, int stack) {
        return new long[] {address, size, stack};
    }

    @Test
    void blocksListedAgainAreCountedOnceWhateverTheirOrder() {
        list(block(0x100, 10, s0), block(0x200, 20, s1), block(0x300, 30, s0));
        list(block(0x100, 10, s0), block(0x300, 30, s0), block(0x400, 40, s1)); // 0x200 freed, 0x400 new
        analysis.accept(new Free(time + 1, 0, 0, 0x100, 0)); // freed between listings: listed after, it is a new block
        analysis.accept(new Alloc(time + 2, 0, 0, 0x100, 10, s0));
        list(block(0x100, 10, s0), block(0x300, 30, s0), block(0x400, 40, s1));
        list(block(0x400, 40, s1), block(0x100, 10, s0), block(0x300, 31, s0)); // reordered; 0x300 resized: new
        list(block(0x400, 40, s1), block(0x500, 50, s1), block(0x500, 50, s1), block(0x100, 10, s0)); // 0x500 twice
        list(block(0x400, 40, s1), block(0x100, 10, s0), block(0x500, 50, s1), block(0x600, 60, s0), new long[] {0x600});
        list(block(0x400, 40, s1), block(0x100, 10, s0), block(0x500, 50, s1), block(0x600, 60, s0));
        LeakReport r = analysis.finish(rec);

        // s0: 0x100 and 0x300 in the first listing, 0x100 again after its free, 0x300 resized, 0x600 twice (freed in between)
        assertThat(r.allocated().bytes(s0)).isEqualTo(10 + 30 + 10 + 31 + 60 + 60);
        assertThat(r.allocated().blocks(s0)).isEqualTo(6);
        // s1: 0x200, 0x400, and 0x500 as both records of the listing that printed it twice
        assertThat(r.allocated().bytes(s1)).isEqualTo(20 + 40 + 50 + 50);
        // a listing dates a block by the listings alone: 0x100, freed and made again between two, was listed in both
        assertThat(r.snapshots()).extracting(SnapshotInfo::aliveBlocks, SnapshotInfo::carried)
                .containsExactly(tuple(3L, 0L), tuple(3L, 2L), tuple(3L, 3L), tuple(3L, 2L), tuple(3L, 2L), tuple(3L, 3L), tuple(4L, 3L));
        assertThat(r.leaks()).extracting(LeakedBlock::address, LeakedBlock::sinceSnapshot)
                .containsExactlyInAnyOrder(tuple(0x400L, 1), tuple(0x100L, 0), tuple(0x500L, 4), tuple(0x600L, 6));
    }
}
