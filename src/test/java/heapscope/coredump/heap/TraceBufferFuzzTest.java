package heapscope.coredump.heap;

import com.code_intelligence.jazzer.junit.FuzzTest;
import heapscope.coredump.Memory;
import heapscope.coredump.Segment;
import heapscope.symbols.Symbolizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes as the DRAM of the fixture firmware's heap trace state read as a trace or as the reason there is none:
 * never an exception, never more records than the buffer holds, never a hang. A normal test run replays the inputs
 * under src/test/resources/heapscope/coredump/heap/TraceBufferFuzzTestInputs (TraceDumps' among them);
 * {@code scripts/fuzz TraceBufferFuzzTest} searches for new ones.
 */
class TraceBufferFuzzTest {
    private final Symbolizer elf;

    TraceBufferFuzzTest() {
        try {
            elf = Symbolizer.open(TraceDumps.ELF);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anyTraceStateReadsOrSaysWhyNot(byte[] dram) {
        HeapTrace t = TraceBuffer.read(new Memory(List.of(new Segment(TraceDumps.RECORDS, dram, Segment.PF_R | Segment.PF_W))), elf);
        if (t instanceof HeapTrace.Read r) {
            assertThat((long) r.records().size()).isLessThanOrEqualTo(r.capacity());
        }
    }
}
