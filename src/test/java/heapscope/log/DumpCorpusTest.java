package heapscope.log;

import heapscope.Fixtures;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A heap_trace_dump excerpt a user pasted (pre-v5.1 format, abridged: two records shown of 96). */
class DumpCorpusTest {
    @Test
    void abridgedDumpGivesItsTwoRecordsAndFlagsTheSummaryMismatch() throws IOException {
        Path log = Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt");
        try (EventReader r = new LogDecoder(Files.newInputStream(log), log.toString(), new Recording(), false)) {
            LeakReport report = LeakAnalysis.run(r, null);
            assertThat(report.leakedBlocks()).isEqualTo(2);
            assertThat(report.leakedBytes()).isEqualTo(32);
            assertThat(report.leaks()).allSatisfy(b -> {
                assertThat(b.core()).isEqualTo(1);
                assertThat(r.recording().stacks().frames(b.stack())).containsExactly(0x4010a09bL, 0x4010a0c6L);
            });
            assertThat(report.leaks().get(0).address()).isEqualTo(0x3ffd1914L);
            assertThat(report.snapshots()).singleElement().satisfies(s -> {
                assertThat(s.declared().aliveBytes()).isEqualTo(78141);
                assertThat(s.declared().aliveBlocks()).isEqualTo(96);
                assertThat(s.declared().totalAllocs()).isEqualTo(5598);
                assertThat(s.declared().totalFrees()).isEqualTo(5447);
            });
            assertThat(r.recording().warnings()).singleElement().satisfies(w -> {
                assertThat(w.position()).isEqualTo(5); // the summary line
                assertThat(w.message()).contains("78141 bytes in 96 blocks").contains("32 bytes in 2 blocks");
            });
        }
    }
}
