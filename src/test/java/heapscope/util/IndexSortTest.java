package heapscope.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The index sort orders as the JDK's stable sort does, equal keys keeping their order, at every size. */
class IndexSortTest {
    @Test
    void sortsLikeTheStableListSortWithManyEqualKeys() {
        Random random = new Random(14);
        for (int n : new int[] {0, 1, 2, 15, 16, 17, 100, 1000, 100_000}) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = random.nextInt(Math.max(1, n / 10)); // ties everywhere
            }
            int[] a = new int[n];
            List<Integer> expected = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                a[i] = i;
                expected.add(i);
            }
            IndexSort.sort(a, (x, y) -> Long.compare(keys[y], keys[x])); // descending, as the leak groups sort
            expected.sort(Comparator.comparingLong((Integer i) -> keys[i]).reversed());
            assertThat(a).as("n=%d", n).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
