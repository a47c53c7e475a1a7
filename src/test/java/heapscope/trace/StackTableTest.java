package heapscope.trace;

import org.junit.jupiter.api.Test;

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
            List<Long> key = java.util.Arrays.stream(buf, 0, len).boxed().toList();
            Integer known = model.putIfAbsent(key, id);
            assertThat(id).isEqualTo(known == null ? id : known);
            assertThat(t.frames(id)).containsExactly(java.util.Arrays.copyOf(buf, len));
        }
        assertThat(t.size()).isEqualTo(model.size() + 1); // plus the empty stack
        assertThat(t.intern(new long[0], 0)).isZero();
    }
}
