package heapscope.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A million values squeezed into at most 4096 buckets keep every extreme and the last value. */
class TimelineTest {
    @Test
    void bucketsKeepTheExtremesOfAMillionValues() {
        Timeline t = new Timeline();
        Random r = new Random(5);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long minAt = -1;
        long value = 100_000;
        for (long i = 0; i < 1_000_000; i++) {
            value += r.nextInt(201) - 100;
            if (i == 777_777) {
                value -= 10_000_000; // one sharp dip, gone by the next event
            }
            if (i == 777_778) {
                value += 10_000_000;
            }
            t.add(1_000_000_000L + i * 37_000, value);
            if (value < min) {
                min = value;
                minAt = i;
            }
            max = Math.max(max, value);
        }
        List<Timeline.Point> points = t.points();
        assertThat(points.size()).isLessThanOrEqualTo(Timeline.MAX_BUCKETS).isGreaterThan(Timeline.MAX_BUCKETS / 4);
        assertThat(points.stream().mapToLong(Timeline.Point::min).min().getAsLong()).isEqualTo(min);
        assertThat(points.stream().mapToLong(Timeline.Point::max).max().getAsLong()).isEqualTo(max);
        assertThat(points.get(points.size() - 1).last()).isEqualTo(value);
        assertThat(minAt).isEqualTo(777_777);
        long dipTime = 1_000_000_000L + 777_777 * 37_000L;
        long lowest = min;
        assertThat(points).anySatisfy(p -> {
            assertThat(p.startNs()).isLessThanOrEqualTo(dipTime);
            assertThat(p.endNs()).isGreaterThan(dipTime);
            assertThat(p.min()).isEqualTo(lowest);
        });
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i).startNs()).isGreaterThanOrEqualTo(points.get(i - 1).endNs());
        }
    }
}
