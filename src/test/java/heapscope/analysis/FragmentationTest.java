package heapscope.analysis;

import heapscope.log.LogDecoder;
import heapscope.sim.FragmentationScenario;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Failed allocations held against the heap readings around them, on {@link FragmentationScenario}'s log with its known causes. */
class FragmentationTest {
    static LeakReport analyse(String log) throws Exception {
        try (EventReader r = new LogDecoder(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "frag.log", new Recording(), false)) {
            return new LeakAnalysis(null).read(r);
        }
    }

    @Test
    void eachFailureIsJudgedByTheReadingBeforeIt() throws Exception {
        Fragmentation f = analyse(FragmentationScenario.LOG).fragmentation();
        assertThat(f.failures()).isEqualTo(4);
        assertThat(f.examples()).extracting(Fragmentation.Failure::cause).containsExactly(Fragmentation.Cause.EXHAUSTION,
                Fragmentation.Cause.ROOM, Fragmentation.Cause.FRAGMENTATION, Fragmentation.Cause.EXHAUSTION);
        assertThat(f.examples()).extracting(Fragmentation.Failure::after).containsExactly(true, false, false, false);
        assertThat(List.of(f.starved(), f.exhausted(), f.room(), f.unjudged())).containsExactly(1L, 2L, 1L, 0L);
        Fragmentation.Failure starved = f.firstStarved();
        assertThat(starved.size()).isEqualTo(8192);
        assertThat(starved.timeNs()).isEqualTo(4_000_000_000L);
        assertThat(starved.reading().label()).isEqualTo("caps 0x00000004"); // the totals, not the region
        assertThat(starved.reading().free()).isEqualTo(60_000);
        assertThat(starved.reading().largestFree()).isEqualTo(4096);
    }

    @Test
    void espIdfsDocumentedFailedAllocCallbackIsAFailure() throws Exception {
        String log = FragmentationScenario.heapInfo(1000, 60_000, 4096)
                + "E (2000) app: heap_caps_malloc was called but failed to allocate 8192 bytes with 0x1800 capabilities. \n"
                + "Heap Full: \"heap_caps_calloc\" was called but failed to allocate 100000 bytes with 0x4 capabilities.\n"
                + "I (3000) app: it was called but failed to allocate nothing\n";
        LeakReport report = analyse(log);
        assertThat(report.diagnostics().failedAllocExamples()).extracting(Diagnostics.FailedAlloc::size).containsExactly(8192L, 100_000L);
        assertThat(report.fragmentation().examples()).extracting(Fragmentation.Failure::cause)
                .containsExactly(Fragmentation.Cause.FRAGMENTATION, Fragmentation.Cause.EXHAUSTION);
    }

    @Test
    void theRequestsCapabilitiesPickTheirHeap() throws Exception {
        // internal (caps 0x00000004) fragmented; 8-bit memory with PSRAM (caps 0x00000008) has a block large enough
        String log = FragmentationScenario.heapInfo(1000, 60_000, 4096)
                + FragmentationScenario.heapInfo(1500, 4_000_000, 4_000_000).replace("0x00000004", "0x00000008")
                + "Mem alloc fail. size 0x00002000 caps 0x00000004\n"
                + "E (2000) app: heap_caps_malloc was called but failed to allocate 8192 bytes with 00000008 capabilities.\n"
                + "E (2100) app: malloc was called but failed to allocate 8192 bytes with 2048 capabilities.\n";
        Fragmentation f = analyse(log).fragmentation();
        assertThat(f.examples()).extracting(Fragmentation.Failure::cause).containsExactly(Fragmentation.Cause.FRAGMENTATION,
                Fragmentation.Cause.ROOM, Fragmentation.Cause.ROOM); // the last: caps 0x800 has no heap info, so all heaps count
        assertThat(f.examples().get(0).reading().label()).isEqualTo("caps 0x00000004");
        assertThat(f.examples().get(1).reading().label()).isEqualTo("caps 0x00000008");
    }

    @Test
    void withoutALargestBlockNothingIsJudged() throws Exception {
        String log = FragmentationScenario.failure(100, 8192) + "I (200) app: Free internal memory (DRAM): 150000 bytes\n";
        Fragmentation f = analyse(log).fragmentation();
        assertThat(f.failures()).isEqualTo(1);
        assertThat(f.unjudged()).isEqualTo(1);
        assertThat(f.firstStarved()).isNull();
    }

    @Test
    void aCaptureWithoutFailuresHasNothingToSay() throws Exception {
        assertThat(analyse(FragmentationScenario.heapInfo(1000, 60_000, 4096)).fragmentation()).isEqualTo(Fragmentation.NONE);
    }

    @Test
    void aLogWithoutTimesGivesNoTime() throws Exception {
        String log = (FragmentationScenario.heapInfo(0, 60_000, 4096) + FragmentationScenario.failure(0, 8192)).replaceAll("I \\(0\\) app: \\w+\n", "");
        LeakReport report = analyse(log);
        assertThat(report.fragmentation().starved()).isEqualTo(1);
        assertThat(report.fragmentation().firstStarved().reading().timed()).isFalse();
    }
}
