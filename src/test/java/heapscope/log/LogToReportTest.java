package heapscope.log;

import heapscope.analysis.LeakAnalysis;
import heapscope.chip.Chip;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The new families feed the same leak report as a trace: listings are snapshots, the last one is the leak set. */
class LogToReportTest {
    private static LeakReport analyze(String log) throws IOException {
        try (LogDecoder d = new LogDecoder(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "t.log", new Recording(), false, List.of())) {
            return LeakAnalysis.run(d, null);
        }
    }

    @Test
    void theLastListingIsTheLeakSetAndSamplesCorruptionsCrashesAreCounted() throws IOException {
        LeakReport r = analyze(Families.MONITOR + Families.LEAK_TRACKER + Families.HEAP_INFO
                + "CORRUPT HEAP: Bad tail at 0x4ff4fbd8. Expected 0xbaad5678 got 0x00000000\n" + Families.MEM_FAIL);

        assertThat(r.snapshots()).hasSize(2);
        assertThat(r.leaks()).extracting(LeakedBlock::address).containsExactlyInAnyOrder(0x4809711cL, 0x4ff4fb84L);
        assertThat(r.incidents().corruptionCount()).isEqualTo(1);
        // the bad tail sits right after the 84-byte block the tracker listed
        assertThat(r.incidents().corruptions().get(0).block()).isNotNull().extracting(LeakedBlock::address).isEqualTo(0x4ff4fb84L);
        assertThat(r.incidents().sampleCount()).isEqualTo(1 + 2 + 3);
        assertThat(r.incidents().crashCount()).isEqualTo(1);
    }

    @Test
    void theReportSaysWhereTheChipCameFrom() throws IOException {
        String log = "ESP-ROM:esp32s3-20210327\n" + Families.HEAP_INFO;
        assertThat(analyze(log).chipSource()).isEqualTo("ROM banner, line 1");
        try (LogDecoder d = new LogDecoder(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "t.log", new Recording(), false, List.of())) {
            LeakReport r = LeakAnalysis.run(d, Chip.ESP32C3);
            assertThat(r.chip()).isEqualTo(Chip.ESP32C3);
            assertThat(r.chipSource()).isEqualTo("--chip");
        }
        assertThat(analyze(Families.HEAP_INFO).chipSource()).isNull();
    }
}
