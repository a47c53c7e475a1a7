package heapscope.trace;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StackTableTest {
    @Test
    void identicalCallerListsShareOneIdAndDifferentOnesDoNot() {
        StackTable t = new StackTable();
        Random random = new Random(3);
        Map<List<Long>, Integer> model = new HashMap<>();
        long[] buf = new long[16];
        for (int i = 0; i < 50_000; i++) {
            int len = 1 + random.nextInt(4);
            for (int k = 0; k < len; k++) {
                buf[k] = 0x400D0000L + random.nextInt(8);
            }
            int id = t.intern(buf, len);
            List<Long> key = Arrays.stream(buf, 0, len).boxed().toList();
            Integer known = model.putIfAbsent(key, id);
            assertThat(id).isEqualTo(known == null ? id : known);
            assertThat(t.frames(id)).containsExactly(Arrays.copyOf(buf, len));
        }
        assertThat(t.size()).isEqualTo(model.size() + 1); // plus the empty stack
        assertThat(t.intern(new long[0], 0)).isZero();
    }

    @Test
    void beyondTheCapNewStacksFoldIntoOneFullStackAndKnownOnesKeepTheirIds() {
        int[] fullCalls = {0};
        StackTable t = new StackTable(5, 1000, () -> fullCalls[0]++);
        int a = t.intern(0x40080001L, 0x40080002L);
        int b = t.intern(0x40080003L);
        int c = t.intern(0x40080004L, 0x40080005L, 0x40080006L);
        assertThat(t.full()).isEqualTo(-1);
        assertThat(fullCalls[0]).isZero();

        int d = t.intern(0x40080007L);
        int e = t.intern(0x40080008L, 0x40080009L);
        assertThat(d).isEqualTo(e).isEqualTo(t.full()).isNotIn(a, b, c);
        assertThat(fullCalls[0]).isEqualTo(1);
        assertThat(t.frames(d)).containsExactly(StackTable.FULL_FRAME);
        assertThat(t.size()).isEqualTo(5); // empty, three kept, the fold
        assertThat(t.intern(0x40080003L)).isEqualTo(b);
        assertThat(t.frames(c)).containsExactly(0x40080004L, 0x40080005L, 0x40080006L);
    }

    @Test
    void theFrameCapFoldsTooAndPagesKeepEveryStackIntact() {
        StackTable frames = new StackTable(100, 4, () -> { });
        int kept = frames.intern(1, 2, 3);
        assertThat(frames.intern(4, 5)).isEqualTo(frames.full());
        assertThat(frames.frames(kept)).containsExactly(1, 2, 3);

        StackTable big = new StackTable();
        long[] buf = new long[40];
        for (int i = 0; i < 60_000; i++) { // 2.4 M frames: three pages
            Arrays.fill(buf, 0x40000000L + i);
            assertThat(big.intern(buf, buf.length)).isEqualTo(i + 1);
        }
        for (int i = 0; i < 60_000; i += 997) {
            assertThat(big.frames(i + 1)).hasSize(40).containsOnly(0x40000000L + i);
            assertThat(big.frame(i + 1, 39)).isEqualTo(0x40000000L + i);
        }
        assertThat(big.full()).isEqualTo(-1);
    }

    @Test
    void inferredFramesExtendAStackThatIsStillFoundByItsRecordedFrames() {
        StackTable t = new StackTable();
        int recorded = t.intern(0x40001000L, 0x40002000L);
        assertThat(t.extend(recorded, new long[] {0x40003000L, 0x40004000L, 0x4000FFFFL}, 2)).isTrue();
        t.setCandidates(recorded, new long[] {0x40005000L, 0x40006000L});
        assertThat(t.depth(recorded)).isEqualTo(4);
        assertThat(t.inferred(recorded)).isEqualTo(2);
        assertThat(t.frames(recorded)).containsExactly(0x40001000L, 0x40002000L, 0x40003000L, 0x40004000L);
        assertThat(t.frame(recorded, 3)).isEqualTo(0x40004000L);
        assertThat(t.intern(0x40001000L, 0x40002000L)).isEqualTo(recorded);
        // the same four frames all recorded are another stack: an inferred frame never stands for a recorded one
        int deep = t.intern(0x40001000L, 0x40002000L, 0x40003000L, 0x40004000L);
        assertThat(deep).isNotEqualTo(recorded);
        assertThat(t.inferred(deep)).isZero();
        assertThat(t.intern(0x40009000L)).isEqualTo(deep + 1); // extending took no id

        t.withdrawInferred();
        assertThat(t.depth(recorded)).isEqualTo(2);
        assertThat(t.frames(recorded)).containsExactly(0x40001000L, 0x40002000L);
        assertThat(t.inferred(recorded)).isZero();
        assertThat(t.candidates(recorded)).isEmpty();
        assertThat(t.intern(0x40001000L, 0x40002000L)).isEqualTo(recorded);
        assertThat(t.frames(deep)).hasSize(4);
    }

    @Test
    void inferredFramesCountAgainstTheFrameCap() {
        StackTable t = new StackTable(16, 4, () -> { });
        int id = t.intern(1, 2, 3);
        assertThat(t.extend(id, new long[] {4, 5}, 2)).isFalse();
        assertThat(t.depth(id)).isEqualTo(3);
        assertThat(t.extend(id, new long[] {4}, 1)).isTrue();
        assertThat(t.frames(id)).containsExactly(1, 2, 3, 4);
    }
}
