package heapscope.log;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.trace.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * v5.1+ dumps and the leak tracker of seed 000 say whether each block is in internal RAM or PSRAM; without a
 * chip, that is the region.
 */
class DumpMemoryLabelsTest {
    private static final String DUMP = "====== Heap Trace: 3 records (100 capacity) ======\n"
            + "    84 bytes (@ 0x3fc9a11c, Internal) allocated CPU 0 ccount 0x4fc9a11c caller 0x40376183:0x4200012a\n"
            + "  4096 bytes (@ 0x3c100000,    PSRAM) allocated CPU 1 ccount 0x4fc9a21c caller 0x40376183:0x4200022a\n"
            + "    16 bytes (@ 0x3fc9b000) allocated CPU 0 ccount 0x4fc9a31c caller 0x40376183:0x4200032a\n"
            + "====== Heap Trace Summary ======\n"
            + "Mode: Heap Trace Leaks\n"
            + "4196 bytes 'leaked' in trace (3 allocations)\n"
            + "================================\n";

    private static LeakReport analyse(Chip chip) {
        return analyse(DUMP, chip);
    }

    private static LeakReport analyse(String log, Chip chip) {
        Decoded d = Decoded.of(log);
        LeakAnalysis a = new LeakAnalysis(chip);
        for (Event e : d.events()) {
            a.accept(e);
        }
        return a.finish(d.recording());
    }

    @Test
    void theDumpsOwnLabelsGiveTheRegionWhenTheChipIsUnknown() {
        LeakReport r = analyse(null);
        assertThat(r.leaks()).extracting(LeakedBlock::region).containsExactly(Region.INTERNAL, Region.PSRAM, Region.UNKNOWN);
        assertThat(r.regions()).containsEntry(Region.INTERNAL, 84L).containsEntry(Region.PSRAM, 4096L);
        assertThat(r.recording().warnings()).isEmpty();
    }

    @Test
    void theChipsMemoryMapSaysMoreWhenItIsKnown() {
        LeakReport r = analyse(Chip.ESP32S3);
        assertThat(r.leaks()).extracting(LeakedBlock::region).containsExactly(Region.DRAM, Region.PSRAM, Region.DRAM);
    }

    @Test
    void theLeakTrackersLabelsGiveTheRegionToo() {
        // seed 000's tracker, printed on an ESP32-P4 (PSRAM at 0x48000000, L2 memory at 0x4ff00000)
        LeakReport r = analyse(Families.LEAK_TRACKER, null);
        assertThat(r.leaks()).extracting(LeakedBlock::region).containsExactly(Region.PSRAM, Region.INTERNAL);
        assertThat(analyse(Families.LEAK_TRACKER, Chip.ESP32P4).leaks()).extracting(LeakedBlock::region)
                .containsExactly(Region.PSRAM, Region.DRAM);
    }
}
