package heapscope.analysis;

import heapscope.log.LogDecoder;
import heapscope.sim.ConnectionScenario;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection scenario through its serial log (a heap_trace_dump after every connection): the per-cycle
 * leak comes back from the growth between dumps, as it does from a trace.
 */
class LogCycleTest {
    @Test
    void steadyLeakPerConnectionFromSuccessiveDumps() throws Exception {
        StringWriter log = new StringWriter();
        ConnectionScenario.Truth truth = ConnectionScenario.writeLog(log, 10, false, ConnectionScenario.Stacks.synthetic());
        LeakReport r;
        try (EventReader reader = new LogDecoder(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)), "conn.log",
                new Recording(), true)) {
            r = new LeakAnalysis(null, Pattern.compile("New connection"), new CycleAnalysis.Options(0, 1, 400 * 1024)).read(reader);
        }
        assertThat(r.recording().warnings()).isEmpty();
        assertThat(r.recording().chip()).isEqualTo("esp32p4");
        assertThat(r.snapshots()).hasSize(10);
        assertThat(r.leakedBytes()).isEqualTo(truth.leakedBytes());
        assertThat(r.leakedBlocks()).isEqualTo(truth.leakedBlocks());
        CycleReport c = r.cycles();
        assertThat(c.cycles()).hasSize(10);
        assertThat(c.cycles().get(0).leakedBytes()).isEqualTo(truth.bytesPerCycle() + truth.onceBytes());
        assertThat(c.steadyBytes()).isEqualTo(truth.bytesPerCycle());
        assertThat(c.steadyBlocks()).isEqualTo(truth.blocksPerCycle());
        assertThat(c.sites().stream().filter(s -> s.pattern() == CycleReport.Pattern.ONCE).count()).isEqualTo(2);
        // every leak group grows by the same count from one dump to the next
        LeakGroup mutexes = r.groups().get(0);
        assertThat(mutexes.perSnapshot()).containsExactly(64L, 128L, 192L, 256L, 320L, 384L, 448L, 512L, 576L, 640L);
    }

    @Test
    void theFixedFirmwareLeaksOnlyTheRest() throws Exception {
        StringWriter log = new StringWriter();
        ConnectionScenario.Truth truth = ConnectionScenario.writeLog(log, 6, true, ConnectionScenario.Stacks.synthetic());
        try (EventReader reader = new LogDecoder(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)), "conn.log",
                new Recording(), true)) {
            LeakReport r = new LeakAnalysis(null, Pattern.compile("New connection"), new CycleAnalysis.Options(0, 1, -1)).read(reader);
            assertThat(r.cycles().steadyBytes()).isEqualTo(truth.bytesPerCycle()).isEqualTo(8628 - 64 * 84);
        }
    }
}
