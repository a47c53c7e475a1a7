package heapscope.log;

import heapscope.Fixtures;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.trace.Alloc;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.Free;
import heapscope.trace.HeapSample;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public serial-log excerpts (src/test/resources/corpus/serial-logs/SOURCE.md) decode to what a person reading
 * them counts. Line numbers are the files' own (their two header lines included).
 */
class SerialCorpusTest {
    private static Decoded corpus(String name) {
        return Decoded.file(Fixtures.corpus("serial-logs/" + name));
    }

    @Test
    void badTailThenHeapAssertThenAbortWith26Frames() {
        Decoded d = corpus("issue-espressif-esp-idf-1582-corrupt_heap_bad_tail_abort.txt");

        assertThat(d.corruptions()).extracting(Corruption::kind, Corruption::address, Corruption::line)
                .containsExactly(Tuple.tuple("bad tail", 0x3ffe04d1L, 3L),
                        Tuple.tuple("heap assert", 0x3ffe04d8L, 4L));
        assertThat(d.crashes()).hasSize(1);
        Crash c = d.crashes().get(0);
        assertThat(c.reason()).isEqualTo("abort() was called at PC 0x400889bb on core 0");
        assertThat(c.line()).isEqualTo(5);
        assertThat(c.core()).isZero();
        assertThat(c.backtrace()).hasSize(26).startsWith(0x40089108L, 0x400892abL).endsWith(0x400d1112L);
        assertThat(c.truncated()).isFalse();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void badHeadThenAssertWithTheGluedV44Backtrace() {
        Decoded d = corpus("issue-Links2004-arduinoWebSockets-750-corrupt_heap_bad_head.txt");

        assertThat(d.corruptions()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("bad head");
            assertThat(c.address()).isEqualTo(0x3ffeb398L);
            assertThat(c.line()).isEqualTo(3);
        });
        Crash c = d.crashes().get(0);
        assertThat(d.crashes()).hasSize(1);
        assertThat(c.reason()).isEqualTo("assert failed: multi_heap_free multi_heap_poisoning.c:253 (head != NULL)");
        assertThat(c.backtrace()).hasSize(15).startsWith(0x40083e1dL, 0x4008edc5L, 0x40094521L).endsWith(0x4010a415L);
        assertThat(c.truncated()).isFalse();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void heapInfoOnS3WithPsramGivesOneSamplePerRegionAndPerTotals() {
        Decoded d = corpus("issue-RomanLut-hx-esp32-cam-fpv-46-heap_caps_print_heap_info.txt");

        assertThat(d.samples()).extracting(HeapSample::label).containsExactly(
                "caps 0x00000004 @ 0x3fcb1270", "caps 0x00000004 @ 0x3c110000", "caps 0x00000004 @ 0x3fca81f0",
                "caps 0x00000004 @ 0x3fce9710", "caps 0x00000004 @ 0x600fe100", "caps 0x00000004",
                "caps 0x00000001", "caps 0x00000008 @ 0x3fcb1270");
        assertThat(d.samples()).extracting(HeapSample::free)
                .containsExactly(32031L, 8385916L, 197676L, 21572L, 7532L, 8644727L, 0L, 32031L);
        assertThat(d.samples()).extracting(HeapSample::largestFree)
                .containsExactly(31744L, 8257536L, 196608L, 21504L, 7168L, 8257536L, 0L, 31744L);
        assertThat(d.samples().get(5).allocated()).isEqualTo(68236);
        assertThat(d.samples()).extracting(HeapSample::length).containsExactly(32767L, 8388608L, 267552L, 22308L, 7912L, -1L, -1L, 32767L);
        assertThat(d.samples()).extracting(HeapSample::allocBlocks).containsExactly(0L, 2L, 63L, 0L, 0L, -1L, -1L, 0L);
        assertThat(d.samples()).extracting(HeapSample::totalBlocks).containsExactly(1L, 3L, 64L, 1L, 1L, -1L, -1L, 1L);
        // the host terminal's [18:26:36] prefix is the time
        assertThat(d.samples()).allSatisfy(s -> {
            assertThat(s.timed()).isTrue();
            assertThat(s.timeNs()).isEqualTo(((18 * 60 + 26) * 60 + 36) * 1_000_000_000L);
        });
        // the excerpt stops inside the third block
        assertThat(d.warningLines()).containsExactly(21L);
        assertThat(d.warnings().get(0)).contains("ends inside");
    }

    @Test
    void allocHookBacktraceIsNoCrashAndTheFreeInternalHeapLineIsASample() {
        Decoded d = corpus("issue-espressif-esp-idf-13786-alloc_hook_backtrace.txt");

        assertThat(d.samples()).singleElement().satisfies(s -> {
            assertThat(s.label()).isEqualTo("internal");
            assertThat(s.free()).isEqualTo(45871);
            assertThat(s.line()).isEqualTo(3);
            assertThat(s.timeNs()).isEqualTo(1_993_539_000_000L);
        });
        assertThat(d.crashes()).isEmpty();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void preV51DumpExcerptKeepsItsTwoRecordsAndFlagsItsAbridgedSummary() {
        Decoded d = corpus("pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt");

        assertThat(d.allocs()).extracting(Alloc::address).containsExactly(0x3ffd1914L, 0x3ffd18ccL);
        assertThat(d.allocs()).extracting(Alloc::size).containsExactly(16L, 16L);
        assertThat(d.snapshots()).hasSize(2);
        assertThat(d.snapshots().get(1).declared().aliveBytes()).isEqualTo(78141);
        assertThat(d.warnings()).singleElement().asString().contains("78141 bytes in 96 blocks");
    }

    @Test
    void sysviewtraceProcEventsWithAddr2lineLines() {
        Decoded d = corpus("issue-espressif-esp-idf-10483-sysviewtrace_proc_heap.txt");

        assertThat(d.allocs()).extracting(Alloc::size).containsExactly(8L, 2500L, 356L, 120L, 2500L);
        assertThat(d.allocs()).extracting(Alloc::address).startsWith(0x3ffaff6cL).endsWith(0x3ffb633cL);
        assertThat(d.allocs()).extracting(a -> d.recording().contexts().get(a.context()).name())
                .containsExactly("main", "main", "main", "alloc0", "alloc0");
        assertThat(d.allocs()).extracting(Alloc::timeNs).startsWith(2_272_225L).endsWith(2_471_225L);
        assertThat(d.warnings()).isEmpty();
    }

    /** Espressif's own -d -p output of the SystemView corpus: its report lists the 45 blocks the trace leaks. */
    @Test
    void sysviewtraceProcReportIsASnapshotMatchingItsFoundLine() {
        Decoded d = Decoded.file(Fixtures.corpus("esp-idf-sysview/expected_output"));

        assertThat(d.all(Free.class)).hasSize(27);
        assertThat(d.snapshots()).hasSize(2);
        int start = d.events().indexOf(d.snapshots().get(0));
        int end = d.events().indexOf(d.snapshots().get(1));
        List<Alloc> listed = d.events().subList(start, end).stream().filter(Alloc.class::isInstance).map(Alloc.class::cast).toList();
        assertThat(listed).hasSize(45);
        assertThat(listed.stream().mapToLong(Alloc::size).sum()).isEqualTo(17706);
        assertThat(d.snapshots().get(1).declared().aliveBytes()).isEqualTo(17706);
        assertThat(d.allocs()).hasSize(72 + 45);
        assertThat(d.warnings()).isEmpty();
        assertThat(d.recording().cores()).as("frees on core 1").isEqualTo(2);
        assertThat(d.recording().noCallersReason()).startsWith("sysviewtrace_proc.py -b printed them as source lines");

        // the capture's counts are ESP-IDF's ("Processed 99 heap events"), the listing's records apart
        LeakAnalysis a = new LeakAnalysis(null);
        d.events().forEach(a::accept);
        LeakReport.Counts c = a.finish(d.recording()).counts();
        assertThat(new long[] {c.heapEvents() - c.listedRecords(), c.allocs(), c.frees(), c.listings(), c.listedRecords()})
                .containsExactly(99, 72, 27, 1, 45);
    }
}
