package heapscope.log;

import heapscope.analysis.Incidents;
import heapscope.analysis.Incidents.MatchedCorruption;
import heapscope.analysis.Incidents.Where;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KASAN reports (the format of ESP-IDF's KASAN runtime, 2026: {@code KASAN error: %s of size %u at 0x%08x} and
 * {@code   Bug type: %s (shadow nibble=0x%x)}, then {@code esp_system_abort("KASAN: invalid memory access")}) and
 * heap poisoning's reports, read as memory errors with the block they hit and the crash they caused. The logs are
 * made up for these tests: an 84-byte block at 0x3fc9a060 (it ends at 0x3fc9a0b4) and a 32-byte one at 0x3fc9a100
 * that was freed.
 */
class MemoryErrorTest {
    /** A HEAP_TRACE_ALL dump (v5.1+ format): the 84-byte block lives, the 32-byte one was freed. */
    private static final String DUMP = """
            ====== Heap Trace: 2 records (100 capacity) ======
                84 bytes (@ 0x3fc9a060, Internal) allocated CPU 0 ccount 0x00001000 caller 0x42001234:0x42005678
                32 bytes (@ 0x3fc9a100, Internal) allocated CPU 0 ccount 0x00002000 caller 0x42001300:0x42005678
            freed by 0x42001400:0x42005700
            ====== Heap Trace Summary ======
            Mode: Heap Trace All
            84 bytes alive in trace (1/2 allocations)
            records: 2 (100 capacity, 2 high water mark)
            total allocations: 2
            total frees: 1
            ================================
            """;
    private static final String ABORT = """

            KASAN: invalid memory access

            Backtrace: 0x40375e1e:0x3fc98b30 0x4200a1b6:0x3fc98b50 0x4200b000:0x3fc98b70

            ELF file SHA256: 0123456789abcdef
            """;

    private static LeakReport analyze(String log) throws IOException {
        try (LogDecoder d = new LogDecoder(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "t.log", new Recording(), false, List.of())) {
            return LeakAnalysis.run(d, null);
        }
    }

    /** The memory error of a KASAN report after the dump, with its abort. */
    private static MatchedCorruption afterDump(String report) throws IOException {
        return analyze(DUMP + report + ABORT).incidents().corruptions().get(0);
    }

    @Test
    void aKasanReportIsAnAccessWithItsBugTypeAndNibble() {
        Decoded d = Decoded.of("""
                KASAN error: WRITE of size 4 at 0x3fc9a0bc
                  Bug type: heap-buffer-overflow (right redzone) (shadow nibble=0xd)
                """ + ABORT);
        Corruption c = d.all(Corruption.class).get(0);
        assertThat(c.kasan()).isTrue();
        assertThat(c.kind()).isEqualTo("heap-buffer-overflow (right redzone)");
        assertThat(c.address()).isEqualTo(0x3fc9a0bcL);
        assertThat(c.access()).isEqualTo(new Corruption.Access(true, 4, 0xd));
        assertThat(c.line()).isEqualTo(1);
        Crash crash = d.crashes().get(0);
        assertThat(crash.kind()).isEqualTo(Crash.Kind.ABORT);
        assertThat(crash.reason()).isEqualTo("KASAN: invalid memory access");
        assertThat(crash.backtrace()).containsExactly(0x40375e1eL, 0x4200a1b6L, 0x4200b000L);
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void anOverflowNamesTheLiveBlockBelowAndItsAbort() throws IOException {
        LeakReport r = analyze(DUMP + """
                KASAN error: WRITE of size 4 at 0x3fc9a0bc
                  Bug type: heap-buffer-overflow (right redzone) (shadow nibble=0xd)
                """ + ABORT);
        MatchedCorruption m = r.incidents().corruptions().get(0);
        assertThat(m.block().address()).isEqualTo(0x3fc9a060L);
        assertThat(m.placement()).isEqualTo(new Incidents.Placement(Where.PAST_END, 8, null));
        assertThat(m.crash()).isNotNull();
        assertThat(m.crash().reason()).isEqualTo("KASAN: invalid memory access");
        assertThat(r.recording().stacks().frames(m.block().stack())).containsExactly(0x42001234L, 0x42005678L);
    }

    @Test
    void aUseAfterFreeNamesTheFreedBlockWithWhoFreedIt() throws IOException {
        LeakReport r = analyze(DUMP + """
                KASAN error: READ of size 2 at 0x3fc9a110
                  Bug type: use-after-free (shadow nibble=0xf)
                """ + ABORT);
        MatchedCorruption m = r.incidents().corruptions().get(0);
        assertThat(m.block().address()).isEqualTo(0x3fc9a100L);
        assertThat(m.block().size()).isEqualTo(32);
        assertThat(m.placement().where()).isEqualTo(Where.INSIDE);
        assertThat(m.placement().bytes()).isEqualTo(16);
        assertThat(m.placement().freed()).isNotNull();
        assertThat(r.recording().stacks().frames(m.placement().freed().stack())).containsExactly(0x42001400L, 0x42005700L);
        assertThat(r.recording().stacks().frames(m.block().stack())).containsExactly(0x42001300L, 0x42005678L);
    }

    @Test
    void anUnderflowNamesTheBlockAbove() throws IOException {
        MatchedCorruption m = afterDump("""
                KASAN error: WRITE of size 1 at 0x3fc9a05c
                  Bug type: heap-buffer-underflow (left redzone) (shadow nibble=0xe)
                """);
        assertThat(m.block().address()).isEqualTo(0x3fc9a060L);
        assertThat(m.placement()).isEqualTo(new Incidents.Placement(Where.BEFORE_START, 4, null));
    }

    @Test
    void aPartialGranuleOverflowIsPastTheEnd() throws IOException {
        MatchedCorruption m = afterDump("""
                KASAN error: READ of size 1 at 0x3fc9a0b4
                  Bug type: heap-buffer-overflow (partial granule) (shadow nibble=0x2)
                """);
        assertThat(m.placement()).isEqualTo(new Incidents.Placement(Where.PAST_END, 0, null));
    }

    @Test
    void noHaltReportsGoOnWithoutACrashAndADumpAfterThemStillNamesTheBlock() throws IOException {
        // CONFIG_KASAN_NO_HALT: the firmware goes on; the dump printed later still names the block
        LeakReport r = analyze("""
                KASAN error: WRITE of size 4 at 0x3fc9a0bc
                  Bug type: heap-buffer-overflow (right redzone) (shadow nibble=0xd)
                KASAN error: READ of size 4 at 0x3fc9a0b8
                  Bug type: heap-buffer-overflow (right redzone) (shadow nibble=0xd)
                """ + DUMP);
        assertThat(r.incidents().corruptionCount()).isEqualTo(2);
        assertThat(r.incidents().crashCount()).isZero();
        assertThat(r.incidents().corruptions()).allSatisfy(m -> {
            assertThat(m.crash()).isNull();
            assertThat(m.block()).isNotNull();
            assertThat(m.block().address()).isEqualTo(0x3fc9a060L);
        });
        assertThat(r.incidents().corruptions().get(1).placement().bytes()).isEqualTo(4);
    }

    @Test
    void anUnrelatedCrashFarAwayIsNotTheErrorsCrash() throws IOException {
        LeakReport r = analyze("""
                KASAN error: WRITE of size 4 at 0x3fc9a0bc
                  Bug type: heap-buffer-overflow (right redzone) (shadow nibble=0xd)
                """ + "I (1) app: working\n".repeat(20) + "abort() was called at PC 0x42001234 on core 0\n\nBacktrace: 0x42001234:0x3fc98b30\n");
        assertThat(r.incidents().crashCount()).isEqualTo(1);
        assertThat(r.incidents().corruptions().get(0).crash()).isNull();
    }

    @Test
    void aLostBugTypeLineIsAWarningAndTheAccessIsKept() {
        Decoded d = Decoded.of("""
                KASAN error: WRITE of size 4 at 0x3fc9a0bc
                some other output
                KASAN error: READ of size 8 at 0x3fc9a0c0
                  Bug type: heap-buffer-overf
                KASAN error: READ of siz
                """);
        List<Corruption> cs = d.all(Corruption.class);
        assertThat(cs).hasSize(3);
        assertThat(cs.get(0).access()).isEqualTo(new Corruption.Access(true, 4, -1));
        assertThat(cs.get(0).kind()).isEqualTo("unknown poison");
        assertThat(cs.get(1).access()).isEqualTo(new Corruption.Access(false, 8, -1));
        assertThat(cs.get(2).access()).isNull();
        assertThat(d.warnings()).containsExactly("KASAN error without its bug type line",
                "damaged KASAN bug type line: the error at line 3 is reported without it", "damaged KASAN error line: reported without its access");
        assertThat(d.warningLines()).containsExactly(1L, 4L, 5L);
    }

    @Test
    void anotherTasksLineBetweenTheTwoLinesIsSkipped() {
        Decoded d = Decoded.of("""
                KASAN error: WRITE of size 4 at 0x3fc9a0bc
                I (120) wifi: connected
                  Bug type: heap-buffer-overflow (right redzone) (shadow nibble=0xd)
                """);
        assertThat(d.all(Corruption.class)).singleElement().satisfies(c -> assertThat(c.access().nibble()).isEqualTo(0xd));
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void poisoningKeepsExpectedAndActualValuesAndItsAbort() throws IOException {
        LeakReport r = analyze(DUMP + """
                CORRUPT HEAP: Bad tail at 0x3fc9a0b4. Expected 0xbaad5678 got 0x00000000
                CORRUPT HEAP: Size at 0x3fc9a100 expected <=0x00000400 got 0x7fffffff
                assert failed: multi_heap_free multi_heap_poisoning.c:259 (head != NULL)

                Backtrace: 0x40375e1e:0x3fc98b30 0x4200a1b6:0x3fc98b50
                """);
        List<MatchedCorruption> ms = r.incidents().corruptions();
        Corruption tail = ms.get(0).report();
        assertThat(tail.expected()).isEqualTo(0xbaad5678L);
        assertThat(tail.actual()).isZero();
        assertThat(ms.get(0).block().address()).isEqualTo(0x3fc9a060L);
        assertThat(ms.get(0).placement()).isEqualTo(new Incidents.Placement(Where.PAST_END, 0, null));
        Corruption size = ms.get(1).report();
        assertThat(size.kind()).isEqualTo("bad size");
        assertThat(size.expected()).isEqualTo(0x400L);
        assertThat(size.actual()).isEqualTo(0x7fffffffL);
        assertThat(ms.get(1).placement().freed()).isNotNull(); // the freed 32-byte block
        assertThat(ms).allSatisfy(m -> assertThat(m.crash()).isNotNull().extracting(Crash::kind).isEqualTo(Crash.Kind.ASSERT));
    }
}
