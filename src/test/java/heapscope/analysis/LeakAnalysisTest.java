package heapscope.analysis;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.Free;
import heapscope.trace.Overflow;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Leak semantics and trace diagnostics on hand-built event sequences whose outcome is known by construction. */
class LeakAnalysisTest {
    private final Recording rec = new Recording();
    private final int stackA = rec.stacks().intern(0x400D1000L, 0x400D2000L);
    private final int stackB = rec.stacks().intern(0x400D3000L);
    private final int task = rec.contexts().intern(Context.Kind.TASK, "main");

    @Test
    void aBlockFreedIsNotALeakAndOneNotFreedIs() {
        LeakAnalysis a = new LeakAnalysis(Chip.ESP32);
        a.accept(new Alloc(1, 0, task, 0x3FFB0000L, 10, stackA));
        a.accept(new Alloc(2, 0, task, 0x3FFB0010L, 20, stackA));
        a.accept(new Alloc(3, 1, task, 0x3F800100L, 30, stackB)); // PSRAM on ESP32
        a.accept(new Free(4, 0, task, 0x3FFB0000L, stackB));
        LeakReport r = a.finish(rec);
        assertThat(r.leakedBytes()).isEqualTo(50);
        assertThat(r.leaks()).extracting(LeakedBlock::address).containsExactly(0x3FFB0010L, 0x3F800100L);
        assertThat(r.leaks()).extracting(LeakedBlock::region).containsExactly(Region.DRAM, Region.PSRAM);
        assertThat(r.groups()).extracting(LeakGroup::stack).containsExactly(stackB, stackA); // 30 B before 20 B
        assertThat(r.regions()).containsEntry(Region.DRAM, 20L).containsEntry(Region.PSRAM, 30L);
        assertThat(r.diagnostics().unmatchedFrees()).isZero();
    }

    @Test
    void aFreeTheCoresClocksSortedBeforeItsAllocationIsPairedWithIt() {
        long skew = LeakAnalysis.CORE_SKEW_NS;
        LeakAnalysis a = new LeakAnalysis(null);
        a.accept(new Free(1_000, 1, task, 0x3FFB0000L, stackB)); // core 1 frees what core 0 allocates "later"
        a.accept(new Alloc(1_000 + skew, 0, task, 0x3FFB0000L, 32, stackA)); // at the edge of the window: paired
        a.accept(new Free(10_000, 0, task, 0x3FFB1000L, stackB)); // the same core: its own order is reliable
        a.accept(new Alloc(10_001, 0, task, 0x3FFB1000L, 8, stackA));
        a.accept(new Free(20_000, 1, task, 0x3FFB2000L, stackB)); // outside the window: a new block at a reused address
        a.accept(new Alloc(20_001 + skew, 0, task, 0x3FFB2000L, 16, stackA));
        a.accept(new Free(40_000, 1, task, 0x3FFB3000L, stackB)); // freed twice before an allocation: one is unmatched
        a.accept(new Free(40_001, 1, task, 0x3FFB3000L, stackB));
        a.accept(new Alloc(40_002, 0, task, 0x3FFB3000L, 4, stackA));
        a.accept(new Free(50_000, 1, task, 0x3FFB4000L, stackB)); // still pending when the capture ends
        LeakReport r = a.finish(rec);

        assertThat(r.leaks()).extracting(LeakedBlock::address).containsExactly(0x3FFB1000L, 0x3FFB2000L);
        Diagnostics d = r.diagnostics();
        assertThat(d.reorderedPairs()).isEqualTo(2);
        assertThat(d.unmatchedFreeExamples()).extracting(Diagnostics.UnmatchedFree::address)
                .containsExactly(0x3FFB1000L, 0x3FFB2000L, 0x3FFB3000L, 0x3FFB4000L);
        assertThat(d.unmatchedFrees()).isEqualTo(4);
        assertThat(r.allocated().bytes(stackA)).isEqualTo(32 + 8 + 16 + 4); // every allocation still counts as made
    }

    @Test
    void anAllocationTheCoresClocksSortedBeforeTheFreeOfTheBlockItReplacesKeepsItsBlock() {
        LeakAnalysis a = new LeakAnalysis(null);
        a.accept(new Alloc(1_000, 1, task, 0x3FFB0000L, 64, stackB)); // the old block, core 1
        a.accept(new Alloc(50_000, 0, task, 0x3FFB0000L, 16, stackA)); // core 0 reuses the address...
        a.accept(new Free(51_000, 1, task, 0x3FFB0000L, stackB)); // ...that core 1 freed "after" it: the old block's free
        a.accept(new Alloc(60_000, 1, task, 0x3FFB1000L, 8, stackB));
        a.accept(new Alloc(70_000, 0, task, 0x3FFB1000L, 4, stackA)); // a real duplicate: the free never comes
        a.accept(new Free(80_000, 0, task, 0x3FFB1000L, stackA)); // same core as the new block: frees it
        LeakReport r = a.finish(rec);

        assertThat(r.leaks()).extracting(LeakedBlock::address, LeakedBlock::size).containsExactly(tuple(0x3FFB0000L, 16L));
        assertThat(r.diagnostics().reorderedPairs()).isEqualTo(1);
        assertThat(r.diagnostics().duplicateAllocs()).isEqualTo(1);
        assertThat(r.diagnostics().duplicateAllocExamples()).extracting(Diagnostics.DuplicateAlloc::address).containsExactly(0x3FFB1000L);
        assertThat(r.diagnostics().unmatchedFrees()).isZero();
    }

    @Test
    void diagnosticsInsteadOfAborts() {
        LeakAnalysis a = new LeakAnalysis(null);
        a.accept(new Alloc(1, 0, task, 0x3FFB0000L, 64, stackA));
        a.accept(new Alloc(2, 0, task, 0x3FFB0000L, 16, stackB)); // earlier block's free was not traced
        a.accept(new Free(3, 0, task, 0x3FFB0008L, stackB)); // inside the live 16-byte block
        a.accept(new Free(4, 0, task, 0x3FFC0000L, stackB)); // allocated before tracing
        a.accept(new Alloc(5, 0, task, 0, 5000, stackA)); // failed
        a.accept(new Free(6, 0, task, 0, stackA)); // free(NULL)
        a.accept(new Overflow(7, 0, 12));
        LeakReport r = a.finish(rec);
        Diagnostics d = r.diagnostics();
        assertThat(d.duplicateAllocs()).isEqualTo(1);
        assertThat(d.duplicateAllocExamples().get(0).previousSize()).isEqualTo(64);
        assertThat(d.freesInsideBlocks()).isEqualTo(1);
        assertThat(d.freeInsideBlockExamples().get(0).blockAddress()).isEqualTo(0x3FFB0000L);
        assertThat(d.unmatchedFrees()).isEqualTo(1);
        assertThat(d.unmatchedFreeExamples().get(0).address()).isEqualTo(0x3FFC0000L);
        assertThat(d.failedAllocs()).isEqualTo(1);
        assertThat(d.failedAllocBytes()).isEqualTo(5000);
        assertThat(d.nullFrees()).isEqualTo(1);
        assertThat(d.incomplete()).isTrue();
        assertThat(d.droppedEvents()).isEqualTo(12);
        assertThat(r.leaks()).singleElement().satisfies(b -> {
            assertThat(b.size()).isEqualTo(16);
            assertThat(b.region()).isEqualTo(Region.UNKNOWN); // no chip known
        });
        assertThat(r.counts().heapEvents()).isEqualTo(6);
        assertThat(r.counts().allocs()).isEqualTo(2);
    }

    @Test
    void examplesAreCappedButCountsAreNot() {
        LeakAnalysis a = new LeakAnalysis(null);
        for (int i = 0; i < LeakAnalysis.MAX_EXAMPLES + 500; i++) {
            a.accept(new Free(i, 0, task, 0x3FFB0000L + 4L * i, stackA));
        }
        Diagnostics d = a.finish(rec).diagnostics();
        assertThat(d.unmatchedFrees()).isEqualTo(LeakAnalysis.MAX_EXAMPLES + 500);
        assertThat(d.unmatchedFreeExamples()).hasSize(LeakAnalysis.MAX_EXAMPLES);
    }
}
