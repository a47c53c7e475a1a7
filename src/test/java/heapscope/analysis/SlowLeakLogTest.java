package heapscope.analysis;

import heapscope.log.LogDecoder;
import heapscope.sim.SyntheticHeapSeries;
import heapscope.sim.SyntheticHeapSeries.Noise;
import heapscope.trace.EventReader;
import heapscope.trace.HeapSample;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003's situation: a leak too small to see in ten minutes, hidden under the monitor's noisy readings,
 * printed by its heap monitor for an hour. Through the serial log the trend finds it at its rate; the same
 * monitor on a leak-free device stays stable.
 */
class SlowLeakLogTest {
    private static Trend throughLog(double leakPerMin, long seed) throws Exception {
        List<HeapSample> series = SyntheticHeapSeries.write(new SyntheticHeapSeries.Spec(Noise.WANDER, 3600, 3, 2048, leakPerMin, seed));
        StringWriter log = new StringWriter();
        SyntheticHeapSeries.writeMonitorLog(series, log);
        try (EventReader r = new LogDecoder(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)), "monitor.log",
                new Recording(), false)) {
            LeakReport report = new LeakAnalysis(null).read(r);
            assertThat(report.incidents().sampleCount()).isEqualTo(series.size());
            return report.trends().get(0);
        }
    }

    @Test
    void aSlowLeakUnderNoiseIsFoundAtItsRate() throws Exception {
        Trend t = throughLog(300, 31);
        assertThat(t.verdict()).isEqualTo(Trend.Verdict.LEAK);
        assertThat(t.timed()).isTrue();
        assertThat(-t.slope() * 60).isBetween(240.0, 360.0);
    }

    @Test
    void theSameMonitorWithoutALeakIsStable() throws Exception {
        assertThat(throughLog(0, 32).verdict()).isEqualTo(Trend.Verdict.STABLE);
    }
}
