package heapscope.coredump.heap;

import com.code_intelligence.jazzer.junit.FuzzTest;
import heapscope.Fixtures;
import heapscope.coredump.Memory;
import heapscope.coredump.Segment;
import heapscope.symbols.Symbolizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes as the first heap region of DramDumps' dump (whose registered_heaps points into it) walk with the real
 * ESP32-C3 layout, or with heap poisoning's, to blocks inside the region, or stop with a reason: never an exception, never a block outside its
 * region, never a hang. A normal test run replays the inputs under
 * src/test/resources/heapscope/coredump/heap/HeapWalkFuzzTestInputs (the generated region among them);
 * {@code scripts/fuzz HeapWalkFuzzTest} searches for new ones.
 */
class HeapWalkFuzzTest {
    private static final int PRIORITIES = 3;
    private final HeapLayout layout;
    private final HeapLayout poisoned;
    private final Segment registered;

    HeapWalkFuzzTest() {
        try {
            layout = ((HeapLayout.Found) HeapLayout.of(Symbolizer.open(Fixtures.corpus("esp-coredump/esp32c3.elf")))).layout();
            poisoned = ((HeapLayout.Found) HeapLayout.of(Symbolizer.open(Path.of("src/test/resources/coredump/heap-poisoning.elf"))))
                    .layout();
            List<DramDumps.Region> regions = DramDumps.leakyHeap();
            DramDumps.Generated g = DramDumps.generate(regions);
            long nodes = g.blocks().get(0).get(0).address();
            byte[] word = CoreElf.le(new byte[4]).putInt(0, (int) nodes).array();
            registered = new Segment(DramDumps.REGISTERED_HEAPS, word, Segment.PF_R | Segment.PF_W);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anyRegionWalksInsideItselfOrSaysWhere(byte[] region) {
        walksInside(region, layout);
    }

    /** The same under heap poisoning's layout (the fixture heap-poisoning.elf): canaries and sizes read from the bytes. */
    @FuzzTest(maxDuration = "5m")
    void anyPoisonedRegionWalksInsideItselfOrSaysWhere(byte[] region) {
        walksInside(region, poisoned);
    }

    private void walksInside(byte[] region, HeapLayout layout) {
        byte[] image = Arrays.copyOf(region, Math.min(region.length, 0x4000));
        Memory m = new Memory(List.of(registered, new Segment(DramDumps.FIRST_REGION, image, Segment.PF_R | Segment.PF_W)));
        if (HeapWalk.read(m, layout) instanceof HeapAtCrash.Walked w) {
            assertThat(w.regions().size()).isLessThanOrEqualTo(64);
            for (HeapRegion r : w.regions()) {
                assertThat(r.caps()).hasSize(PRIORITIES);
                for (HeapBlock b : r.blocks()) {
                    assertThat(b.address()).isGreaterThan(r.start());
                    assertThat(b.address() + b.size()).isLessThanOrEqualTo(r.end());
                }
            }
        }
    }
}
