package heapscope.util;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SortedTest {
    @Test
    void emptyArrayHasNothingAtOrBefore() {
        assertThat(Sorted.lastAtOrBefore(new long[0], 0)).isEqualTo(-1);
        assertThat(Sorted.lastAtOrBefore(new long[0], Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void keysBeforeTheFirstAfterTheLastAndBetween() {
        long[] a = {10, 20, 30};
        assertThat(Sorted.lastAtOrBefore(a, 9)).isEqualTo(-1);
        assertThat(Sorted.lastAtOrBefore(a, Long.MIN_VALUE)).isEqualTo(-1);
        assertThat(Sorted.lastAtOrBefore(a, 10)).isEqualTo(0);
        assertThat(Sorted.lastAtOrBefore(a, 19)).isEqualTo(0);
        assertThat(Sorted.lastAtOrBefore(a, 20)).isEqualTo(1);
        assertThat(Sorted.lastAtOrBefore(a, 30)).isEqualTo(2);
        assertThat(Sorted.lastAtOrBefore(a, Long.MAX_VALUE)).isEqualTo(2);
    }

    @Test
    void equalKeysResolveToTheLastOfThem() {
        long[] a = {5, 7, 7, 7, 9};
        assertThat(Sorted.lastAtOrBefore(a, 7)).isEqualTo(3);
        assertThat(Sorted.lastAtOrBefore(a, 8)).isEqualTo(3);
        assertThat(Sorted.lastAtOrBefore(new long[] {4, 4, 4}, 4)).isEqualTo(2);
        assertThat(Sorted.lastAtOrBefore(new long[] {4, 4, 4}, 3)).isEqualTo(-1);
    }

    @Test
    void sliceSearchStaysInsideItsBoundsAndSaysNoneAsFromMinusOne() {
        long[] a = {1, 100, 200, 300, 2};
        assertThat(Sorted.lastAtOrBefore(a, 1, 4, 250)).isEqualTo(2);
        assertThat(Sorted.lastAtOrBefore(a, 1, 4, 99)).isEqualTo(0); // none in the slice: from - 1
        assertThat(Sorted.lastAtOrBefore(a, 1, 4, 1000)).isEqualTo(3); // index 4 is outside
        assertThat(Sorted.lastAtOrBefore(a, 2, 2, 1000)).isEqualTo(1); // empty slice
    }

    @Test
    void unsignedAddressesSearchedWithTheSignBitFlipped() {
        // 32-bit target addresses above 0x7FFFFFFF and 64-bit ones above Long.MAX_VALUE sort after the low ones
        long[] addresses = {0x3FC88000L, 0x40080000L, 0x80000000L, 0xFFFFFFF0L, 0x8000_0000_0000_0000L, -1L};
        long[] flipped = new long[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            flipped[i] = addresses[i] ^ Long.MIN_VALUE;
        }
        assertThat(Sorted.lastAtOrBefore(flipped, 0x3FC87FFFL ^ Long.MIN_VALUE)).isEqualTo(-1);
        assertThat(Sorted.lastAtOrBefore(flipped, 0x400D0000L ^ Long.MIN_VALUE)).isEqualTo(1);
        assertThat(Sorted.lastAtOrBefore(flipped, 0x80000004L ^ Long.MIN_VALUE)).isEqualTo(2);
        assertThat(Sorted.lastAtOrBefore(flipped, 0xFFFFFFFFL ^ Long.MIN_VALUE)).isEqualTo(3);
        assertThat(Sorted.lastAtOrBefore(flipped, 0x8000_0000_0000_0001L ^ Long.MIN_VALUE)).isEqualTo(4);
        assertThat(Sorted.lastAtOrBefore(flipped, -1L ^ Long.MIN_VALUE)).isEqualTo(5);
    }

    @Test
    void agreesWithALinearScanOnRandomArraysWithRepeats() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            long[] a = random.longs(random.nextInt(12), -5, 5).sorted().toArray();
            long key = random.nextInt(14) - 7;
            int expected = -1;
            for (int i = 0; i < a.length; i++) {
                if (a[i] <= key) {
                    expected = i;
                }
            }
            assertThat(Sorted.lastAtOrBefore(a, key)).as("%s in %s", key, Arrays.toString(a)).isEqualTo(expected);
        }
    }
}
