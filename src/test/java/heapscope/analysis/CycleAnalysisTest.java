package heapscope.analysis;

import heapscope.sim.ConnectionScenario;
import heapscope.source.InputSpec;
import heapscope.sysview.SvDecoder;
import heapscope.trace.EventReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 001's connection scenario: the per-connection leak, the one-time init and the forecast come back. */
class CycleAnalysisTest {
    @TempDir
    Path dir;

    private ConnectionScenario.Truth truth;

    private LeakReport analyze(int cycles, CycleAnalysis.Options options) throws IOException {
        truth = ConnectionScenario.write(dir, cycles, 3);
        try (EventReader r = new SvDecoder(false).open(ConnectionScenario.files(dir).stream().map(f -> (InputSpec) new InputSpec.FileInput(f)).toList())) {
            return new LeakAnalysis(null, Pattern.compile("New connection"), options).read(r);
        }
    }

    @Test
    void steadyLeakPerConnectionIsTheSeeds8628Bytes() throws IOException {
        LeakReport r = analyze(12, new CycleAnalysis.Options(0, 1, 400 * 1024));
        assertThat(truth.bytesPerCycle()).isEqualTo(8628);
        assertThat(r.leakedBytes()).isEqualTo(truth.leakedBytes());
        assertThat(r.leakedBlocks()).isEqualTo(truth.leakedBlocks());
        CycleReport c = r.cycles();
        assertThat(c.cycles()).hasSize(12);
        assertThat(c.steadyBytes()).isEqualTo(truth.bytesPerCycle());
        assertThat(c.steadyBlocks()).isEqualTo(truth.blocksPerCycle());
        assertThat(c.minBytes()).isEqualTo(truth.bytesPerCycle());
        assertThat(c.maxBytes()).isEqualTo(truth.bytesPerCycle());
        assertThat(c.steadyCycles()).isEqualTo(10); // 12 minus warm-up minus the open last one
        assertThat(c.cycles().get(0).leakedBytes()).isEqualTo(truth.bytesPerCycle() + truth.onceBytes());
        assertThat(c.sites()).hasSize(7);
        assertThat(c.sites().stream().filter(s -> s.pattern() == CycleReport.Pattern.EVERY_CYCLE).map(CycleReport.Site::bytesPerCycle))
                .containsExactly(5376L, 1536L, 1024L, 680L, 12L);
        assertThat(c.sites().stream().filter(s -> s.pattern() == CycleReport.Pattern.ONCE).map(CycleReport.Site::totalBytes))
                .containsExactly(4096L, 512L);
        assertThat(c.cyclesLeft()).isEqualTo(400 * 1024 / 8628); // 47: "about 40-45 before OOM" in the seed
        assertThat(c.freeHeapSource()).isEqualTo("--free-heap");
    }

    @Test
    void graceDropsBlocksAllocatedAtTheVeryEnd() throws IOException {
        LeakReport all = analyze(4, new CycleAnalysis.Options(0, 1, -1));
        long lastStart = all.cycles().cycles().get(3).startNs();
        long end = all.counts().lastNs();
        LeakReport graced = analyze(4, new CycleAnalysis.Options(end - lastStart, 1, -1));
        assertThat(graced.cycles().cycles().get(3).leakedBytes()).isLessThan(all.cycles().cycles().get(3).leakedBytes());
        assertThat(graced.cycles().cycles().get(1).leakedBytes()).isEqualTo(8628);
        assertThat(all.cycles().cyclesLeft()).isEqualTo(-1); // no free-heap figure in this capture
    }
}
