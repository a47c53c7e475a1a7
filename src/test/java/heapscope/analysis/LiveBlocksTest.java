package heapscope.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The open-addressing live set against java.util.HashMap as the model, over random insert/remove sequences. */
class LiveBlocksTest {
    @Test
    void behavesLikeAMapUnderRandomChurn() {
        Random random = new Random(1);
        LiveBlocks live = new LiveBlocks();
        Map<Long, Long> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // few distinct addresses so that probe chains collide and deletions shift entries
            long address = 0x3FFB0000L + 4L * random.nextInt(5000);
            int slot = live.find(address);
            assertThat(slot >= 0).isEqualTo(model.containsKey(address));
            if (slot >= 0 && random.nextBoolean()) {
                assertThat(live.size(slot)).isEqualTo(model.get(address));
                live.removeAt(slot);
                model.remove(address);
            } else if (slot < 0) {
                long size = 1 + random.nextInt(64);
                live.put(address, size, step, step, 1, 1, 0, (int) (address % 3));
                model.put(address, size);
            }
            assertThat(live.size()).isEqualTo(model.size());
        }
        LiveBlocks copy = new LiveBlocks().copyOf(live);
        for (LiveBlocks table : List.of(live, copy)) {
            assertThat(table.size()).isEqualTo(model.size());
            for (Map.Entry<Long, Long> e : model.entrySet()) {
                int row = table.find(e.getKey());
                assertThat(table.address(row)).isEqualTo(e.getKey());
                assertThat(table.size(row)).isEqualTo(e.getValue());
                assertThat(table.memory(row)).isEqualTo((int) (e.getKey() % 3)); // kept through moves and growth
            }
        }
    }

    @Test
    void perStackTotalsFollowTheSetThroughChurnReplacementAndClear() {
        Random random = new Random(2);
        LiveBlocks live = new LiveBlocks();
        for (int step = 0; step < 100_000; step++) {
            long address = 0x3FFB0000L + 4L * random.nextInt(3000);
            int slot = live.find(address);
            if (slot >= 0 && random.nextInt(3) == 0) {
                live.removeAt(slot);
            } else { // a new block, or one put over a live address (an allocation the analysis sees twice)
                live.put(address, 1 + random.nextInt(500), step, step, random.nextInt(40), 1, 0, 0);
            }
            if (step % 10_000 == 9_999) {
                assertTotalsMatchAWalk(live);
            }
            if (step == 50_000) {
                live.clear();
                assertThat(live.perStack().stacks()).isZero();
                assertThat(live.perStack().top(3)).isEmpty();
            }
        }
    }

    private static void assertTotalsMatchAWalk(LiveBlocks live) {
        Map<Integer, long[]> walked = new HashMap<>();
        for (int i = 0; i < live.rows(); i++) {
            if (live.occupied(i)) {
                long[] t = walked.computeIfAbsent(live.stack(i), k -> new long[2]);
                t[0] += live.size(i);
                t[1]++;
            }
        }
        StackTotals totals = live.perStack();
        assertThat(totals.stacks()).isEqualTo(walked.size());
        walked.forEach((stack, t) -> {
            assertThat(totals.bytes(stack)).isEqualTo(t[0]);
            assertThat(totals.blocks(stack)).isEqualTo(t[1]);
        });
        List<Integer> byBytes = new ArrayList<>(walked.keySet());
        byBytes.sort(Comparator.<Integer>comparingLong(k -> walked.get(k)[0]).reversed().thenComparing(Comparator.naturalOrder()));
        assertThat(totals.top(3)).containsExactly(byBytes.subList(0, 3).stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void findsTheBlockContainingAnAddress() {
        LiveBlocks live = new LiveBlocks();
        live.put(0x3FFB1000L, 64, 0, 0, 1, 1, 0, 0);
        live.put(0x3FFC0000L, 100_000, 0, 1, 2, 1, 0, 0); // larger than the probe window
        assertThat(live.address(live.findContaining(0x3FFB1004L))).isEqualTo(0x3FFB1000L);
        assertThat(live.address(live.findContaining(0x3FFB103FL))).isEqualTo(0x3FFB1000L);
        assertThat(live.findContaining(0x3FFB1040L)).isEqualTo(-1); // one past the end
        assertThat(live.findContaining(0x3FFB1000L)).isEqualTo(-1); // the start itself is a match, not "inside"
        assertThat(live.address(live.findContaining(0x3FFC0000L + 99_999))).isEqualTo(0x3FFC0000L);
        assertThat(live.findContaining(0x3FFC0000L + 100_000)).isEqualTo(-1);
        live.removeAt(live.find(0x3FFC0000L));
        assertThat(live.findContaining(0x3FFC0010L)).isEqualTo(-1);
    }

    @Test
    void aTableKeptInStepWithAnotherHoldsItsBlocksAtTheOthersRows() {
        Random random = new Random(3);
        LiveBlocks chooser = new LiveBlocks();
        LiveBlocks follower = new LiveBlocks();
        for (int round = 0; round < 50; round++) {
            List<Integer> changed = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                long address = 0x3FFB0000L + 16L * random.nextInt(3000);
                int row = chooser.find(address);
                if (row >= 0) {
                    chooser.removeAt(row);
                } else {
                    row = chooser.put(address, 8 + random.nextInt(2000), 0, 0, random.nextInt(4), 0, 0, 0);
                }
                changed.add(row);
            }
            for (int row : changed) { // removals first: an address may have moved from one changed row to another
                if (row < follower.rows() && follower.occupied(row)) {
                    follower.removeAt(row);
                }
            }
            for (int row : changed) {
                if (chooser.occupied(row) && !(row < follower.rows() && follower.occupied(row))) {
                    follower.putAt(row, chooser.address(row), chooser.size(row), 0, 0, chooser.stack(row), 0, 0, 0);
                }
            }
            assertThat(follower.size()).isEqualTo(chooser.size());
            for (int row = 0; row < chooser.rows(); row++) {
                if (chooser.occupied(row)) {
                    assertThat(follower.find(chooser.address(row))).isEqualTo(row);
                    assertThat(follower.size(row)).isEqualTo(chooser.size(row));
                } else {
                    assertThat(row < follower.rows() && follower.occupied(row)).isFalse();
                }
            }
        }
        assertThatThrownBy(() -> follower.put(0x3FFB0004L, 8, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalStateException.class); // its rows are the other's to choose
        assertThat(follower.copyOf(chooser).put(0x3FFB0004L, 8, 0, 0, 0, 0, 0, 0)).isGreaterThanOrEqualTo(0); // a copy chooses again
    }
}
