package heapscope.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
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
            for (int shape = 0; shape < 3; shape++) {
                long[] keys = new long[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = random.nextInt(Math.max(1, n / 10)); // ties everywhere
                }
                if (shape > 0) { // in order already, or in runs that are: the merges that have nothing to do
                    Arrays.sort(keys, 0, shape == 1 ? n : n / 3);
                    Arrays.sort(keys, shape == 1 ? n : n / 3, n);
                    for (int i = 0; i < n / 2; i++) {
                        long k = keys[i];
                        keys[i] = keys[n - 1 - i];
                        keys[n - 1 - i] = k;
                    }
                }
                check(n, keys);
            }
        }
    }

    private static void check(int n, long[] keys) {
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
