package heapscope.analysis;

import heapscope.sim.SyntheticHeapSeries;
import heapscope.sim.SyntheticHeapSeries.Noise;
import heapscope.trace.HeapSample;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trend verdict on generated free-heap series (one reading every 3 s for an hour, as seed 003's monitor
 * prints them): leak-free series of every kind of workload noise are almost never called leaks, and a leak of a
 * few hundred bytes a minute under 2 KB of noise is found. The figures are recorded in docs/analysis.md.
 */
class TrendAnalysisTest {
    private static final double HOUR = 3600;
    private static final double AMPLITUDE = 2048;

    static Trend.Verdict verdict(Noise noise, double leakPerMin, long seed) {
        List<HeapSample> s = SyntheticHeapSeries.write(new SyntheticHeapSeries.Spec(noise, HOUR, 3, AMPLITUDE, leakPerMin, seed));
        return TrendAnalysis.of(s).get(0).verdict();
    }

    @Test
    void leakFreeSeriesAreAlmostNeverCalledLeaks() {
        int alarms = 0;
        int runs = 0;
        for (Noise noise : Noise.values()) {
            for (long seed = 0; seed < 250; seed++) {
                runs++;
                if (verdict(noise, 0, seed) == Trend.Verdict.LEAK) {
                    alarms++;
                }
            }
        }
        assertThat(runs).isEqualTo(1000);
        assertThat(alarms).as("false alarms in 1000 leak-free series").isLessThanOrEqualTo(10);
    }

    @Test
    void aLeakOf200BytesPerMinuteUnder2KiBOfNoiseIsFound() {
        int found = 0;
        for (Noise noise : Noise.values()) {
            for (long seed = 1000; seed < 1050; seed++) {
                if (verdict(noise, 200, seed) == Trend.Verdict.LEAK) {
                    found++;
                }
            }
        }
        assertThat(found).as("detections in 200 leaking series").isGreaterThanOrEqualTo(190);
    }

    @Test
    void rateAndTimeToExhaustionFollowTheLeak() {
        List<HeapSample> s = SyntheticHeapSeries.write(new SyntheticHeapSeries.Spec(Noise.JITTER, HOUR, 3, AMPLITUDE, 600, 7));
        Trend t = TrendAnalysis.of(s).get(0);
        assertThat(t.verdict()).isEqualTo(Trend.Verdict.LEAK);
        assertThat(t.slope() * 60).isBetween(-660.0, -540.0); // -600 B/min within 10 %
        assertThat(t.slopeLow()).isLessThan(t.slope());
        assertThat(t.slopeHigh()).isGreaterThan(t.slope()).isLessThan(0);
        // floor at the end ~ 180000 - 36000 - ~2 sigma; at 600 B/min that is roughly 13,500 s to go
        assertThat(t.secondsToEmpty()).isBetween(11_000.0, 15_000.0);
        assertThat(t.timed()).isTrue();
    }

    @Test
    void tooFewReadingsGiveNoVerdictAndUntimedSeriesUseOrder() {
        List<HeapSample> few = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            few.add(new HeapSample(0, 0, i, false, "x", 1000 - i, -1, -1, -1));
        }
        assertThat(TrendAnalysis.of(few).get(0).verdict()).isEqualTo(Trend.Verdict.TOO_SHORT);
        List<HeapSample> untimed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            untimed.add(new HeapSample(0, 0, i, false, "x", 100_000 - 50L * i, -1, -1, -1));
        }
        Trend t = TrendAnalysis.of(untimed).get(0);
        assertThat(t.timed()).isFalse();
        assertThat(t.verdict()).isEqualTo(Trend.Verdict.LEAK);
        assertThat(t.slope()).isEqualTo(-50.0); // bytes per reading
    }

    @Test
    void fragmentationIsTheLargestBlockShareFallingOverTime() {
        List<HeapSample> s = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            s.add(new HeapSample(i * 1_000_000_000L, 0, i, true, "x", 100_000, -1, 90_000 - 300L * i, -1));
        }
        Trend t = TrendAnalysis.of(s).get(0);
        assertThat(t.verdict()).isEqualTo(Trend.Verdict.STABLE);
        assertThat(t.fragmentation()).isCloseTo(0.303, Offset.offset(0.01));
        assertThat(t.fragmentationDrop()).isGreaterThan(0.4);
    }
}
