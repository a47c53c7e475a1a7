package heapscope.analysis;

import heapscope.trace.Alloc;
import heapscope.trace.Free;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up allocations, a steady leak and a cache that fills, generated over a ten-minute capture with churn:
 * each call stack gets its kind, and the leak its rate.
 */
class GrowthAnalysisTest {
    @Test
    void startupGrowthAndPlateauAreToldApart() {
        Recording rec = new Recording();
        int startup = rec.stacks().intern(0x400D0001L);
        int leak = rec.stacks().intern(0x400D0002L);
        int cache = rec.stacks().intern(0x400D0003L);
        int churn = rec.stacks().intern(0x400D0004L);
        LeakAnalysis a = new LeakAnalysis(null);
        long address = 0x3FFB0000L;
        long minute = 60_000_000_000L;
        for (int i = 0; i < 20; i++) { // first 20 s
            a.accept(new Alloc(i * 1_000_000_000L, 0, 0, address += 64, 48, startup));
        }
        for (int s = 0; s < 600; s++) { // 10 min: 300 B/min leak (one 50-byte block every 10 s), cache until minute 4
            long t = s * 1_000_000_000L;
            a.accept(new Alloc(t, 0, 0, address += 64, 16, churn));
            a.accept(new Free(t + 500_000_000L, 1, 0, address, churn));
            if (s % 10 == 5) {
                a.accept(new Alloc(t, 1, 0, address += 64, 50, leak));
            }
            if (s > 60 && s < 240 && s % 6 == 0) {
                a.accept(new Alloc(t, 0, 0, address += 64, 32, cache));
            }
        }
        LeakReport r = a.finish(rec);
        Map<Integer, Growth> growth = r.groups().stream().collect(Collectors.toMap(LeakGroup::stack, LeakGroup::growth));
        assertThat(growth.get(startup).kind()).isEqualTo(Growth.Kind.ONE_TIME);
        assertThat(growth.get(cache).kind()).isEqualTo(Growth.Kind.PLATEAU);
        assertThat(growth.get(leak).kind()).isEqualTo(Growth.Kind.GROWING);
        assertThat(growth.get(leak).bytesPerMinute()).isBetween(285.0, 315.0);
        assertThat(growth).doesNotContainKey(churn);
        assertThat(r.counts().lastNs()).isGreaterThan(9 * minute);
    }
}
