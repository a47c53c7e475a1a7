package heapscope.coredump.heap;

import heapscope.Fixtures;
import heapscope.coredump.Memory;
import heapscope.coredump.Segment;
import heapscope.demangle.Demangler;
import heapscope.dwarf.StructLayout;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standalone heap trace at the crash, on DRAM {@link TraceDumps} writes for the fixture firmware. */
class TraceBufferTest {
    private static Symbolizer elf;

    @BeforeAll
    static void open() throws IOException {
        elf = Symbolizer.open(TraceDumps.ELF, Demangler::demangle);
    }

    private static Memory memory(byte[] dram) {
        return new Memory(List.of(new Segment(TraceDumps.RECORDS, dram, Segment.PF_R | Segment.PF_W)));
    }

    @Test
    void anAnonymousStructureIsFoundByItsTypedefAsLlvmDwarfdumpPrintsIt() {
        StructLayout records = elf.struct("records_t").orElseThrow();
        assertEquals(0x24, records.size());
        assertEquals(List.of("buffer", "list", "unused", "capacity", "count", "high_water_mark", "has_overflowed"),
                List.copyOf(records.members().keySet()));
        assertEquals(0x20, records.offset("has_overflowed"));
        StructLayout record = elf.struct("heap_trace_record_t").orElseThrow();
        assertEquals(0x34, record.size());
        assertEquals(0x2c, record.offset("tailq_list"));
    }

    @Test
    void theLiveRecordsInListOrderWithTheirCallersAndTheTracesState() {
        TraceDumps.Generated g = TraceDumps.generate(false);
        HeapTrace.Read r = assertInstanceOf(HeapTrace.Read.class, TraceBuffer.read(memory(g.dram()), elf));
        assertEquals(List.of(), r.warnings());
        assertEquals(g.records().size(), r.records().size());
        for (int i = 0; i < r.records().size(); i++) {
            TraceRecord want = g.records().get(i);
            TraceRecord got = r.records().get(i);
            assertEquals(want.address(), got.address(), "record " + i);
            assertEquals(want.size(), got.size());
            assertEquals(want.ccount(), got.ccount());
            assertArrayEquals(want.allocedBy(), got.allocedBy(), "record " + i + "'s callers");
            assertEquals(0, got.freedBy().length);
        }
        assertEquals(Boolean.TRUE, r.leaksMode());
        assertEquals(Boolean.TRUE, r.tracing());
        assertEquals(32, r.capacity());
        assertEquals(10, r.highWaterMark());
        assertEquals(17, r.allocations());
        assertEquals(8, r.frees());
        assertEquals(false, r.overflowed());
    }

    @Test
    void aBrokenLinkKeepsTheRecordsBeforeItAndSaysWhere() {
        TraceDumps.Generated g = TraceDumps.generate(false);
        byte[] dram = g.dram().clone();
        // the third record's tqe_next, now pointing into the middle of a record
        long third = TraceDumps.BUFFER + (long) ((2 * 7 + 3) % TraceDumps.CAPACITY) * TraceDumps.RECORD_SIZE;
        CoreElf.le(dram).putInt((int) (third + 0x2c - TraceDumps.RECORDS), (int) (TraceDumps.BUFFER + 6));
        HeapTrace.Read r = assertInstanceOf(HeapTrace.Read.class, TraceBuffer.read(memory(dram), elf));
        assertEquals(3, r.records().size());
        assertTrue(r.warnings().get(0).startsWith("record 3 of the list points at 0x3fc8003a, not a record of the buffer"),
                r.warnings().toString());
    }

    @Test
    void aFirmwareWithoutStandaloneTracingOrADumpWithoutDramSaysSo() throws IOException {
        Symbolizer c3 = Symbolizer.open(Fixtures.corpus("esp-coredump/esp32c3.elf"), Demangler::demangle);
        HeapTrace.NotRead off = assertInstanceOf(HeapTrace.NotRead.class, TraceBuffer.read(memory(new byte[4]), c3));
        assertTrue(off.reason().contains("CONFIG_HEAP_TRACING_STANDALONE is off"), off.reason());
        HeapTrace.NotRead absent = assertInstanceOf(HeapTrace.NotRead.class,
                TraceBuffer.read(new Memory(List.of()), elf));
        assertTrue(absent.reason().contains("0x3fc80000") && absent.reason().contains("CONFIG_ESP_COREDUMP_CAPTURE_DRAM"), absent.reason());
    }

    @Test
    void aBufferNeverInitialisedIsNotATrace() {
        HeapTrace.NotRead n = assertInstanceOf(HeapTrace.NotRead.class,
                TraceBuffer.read(memory(new byte[TraceDumps.generate(false).dram().length]), elf));
        assertTrue(n.reason().contains("heap_trace_init_standalone() had not been called"), n.reason());
    }
}
