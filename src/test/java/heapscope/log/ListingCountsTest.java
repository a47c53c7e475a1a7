package heapscope.log;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.trace.Event;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A heap listing's records are counted as records, not as allocations and frees made during the capture; a listing
 * the log stops inside is not taken for the heap.
 */
class ListingCountsTest {
    /** HEAP_TRACE_ALL, v5.5: one block alive, one marked freed, on two cores. */
    static final String DUMP = """
            ====== Heap Trace: 2 records (100 capacity) ======
                84 bytes (@ 0x3fc9a11c, Internal) allocated CPU 0 ccount 0x4fc9a11c caller 0x40376183:0x4200012a
                16 bytes (@ 0x3fc9b000, Internal) allocated CPU 1 ccount 0x4fc9a31c caller 0x40376183:0x4200032a freed
            ====== Heap Trace Summary ======
            Mode: Heap Trace All
            84 bytes alive in trace (1/2 allocations)
            records: 2 (100 capacity, 2 high water mark)
            hashmap: 511 capacity (0 hits, 0 misses)
            total allocations: 2
            total frees: 1
            ================================
            """;

    @Test
    void aFreedRecordIsOneRecordAndNoFree() {
        Decoded d = Decoded.of(DUMP + DUMP);
        LeakAnalysis a = new LeakAnalysis(null);
        for (Event e : d.events()) {
            a.accept(e);
        }
        LeakReport r = a.finish(d.recording());
        LeakReport.Counts c = r.counts();
        assertThat(new long[] {c.heapEvents(), c.allocs(), c.frees(), c.listings(), c.listedRecords()})
                .containsExactly(4, 0, 0, 2, 4);
        assertThat(r.leakedBytes()).isEqualTo(84);
        int stack = r.leaks().get(0).stack();
        assertThat(r.allocated().blocks(stack)).as("listed twice, allocated once").isEqualTo(1);
        assertThat(d.recording().cores()).isEqualTo(2);
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void aListingTheLogStopsInsideLeavesTheLastCompleteOneAsTheLeaks() {
        String cut = DUMP.lines().limit(2).map(l -> l + "\n").reduce("", String::concat); // header and the first record
        Decoded d = Decoded.of(DUMP.replace("84 bytes (@ 0x3fc9a11c", "96 bytes (@ 0x3fc9a200").replace("84 bytes alive", "96 bytes alive") + cut);
        LeakAnalysis a = new LeakAnalysis(null);
        for (Event e : d.events()) {
            a.accept(e);
        }
        LeakReport r = a.finish(d.recording());
        assertThat(r.leaks()).extracting(LeakedBlock::address).containsExactly(0x3fc9a200L);
        assertThat(r.snapshots()).hasSize(1);
        assertThat(d.recording().damage()).singleElement().satisfies(w -> {
            assertThat(w.position()).isEqualTo(12);
            assertThat(w.message()).startsWith("the log ends inside the heap trace dump that starts here");
        });
        // the first listing, cut: its records are all there is
        LeakAnalysis first = new LeakAnalysis(null);
        Decoded only = Decoded.of(cut);
        only.events().forEach(first::accept);
        assertThat(first.finish(only.recording()).leaks()).extracting(LeakedBlock::address).containsExactly(0x3fc9a11cL);
    }

    @Test
    void whileAListingIsReadTheStatusShowsTheLastCompleteOne() {
        String second = DUMP.replace("84 bytes (@ 0x3fc9a11c", "96 bytes (@ 0x3fc9a200").replace("84 bytes alive", "96 bytes alive");
        Decoded d = Decoded.of(DUMP + second);
        LeakAnalysis a = new LeakAnalysis(null);
        List<Long> liveBytes = new ArrayList<>();
        for (Event e : d.events()) {
            a.accept(e);
            liveBytes.add(a.status().liveBytes());
        }
        // from the end of the first listing on, the figure stays at its 84 bytes while the second is read, then is 96
        int firstEnd = d.events().indexOf(d.snapshots().get(1));
        assertThat(liveBytes.subList(firstEnd, liveBytes.size())).containsOnly(84L, 96L).endsWith(96L);
    }
}
