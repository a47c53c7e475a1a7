package heapscope.analysis;

import heapscope.chip.Region;
import heapscope.trace.Snapshot;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Beyond the cap of groups, the groups with the fewest bytes are counted as one last group under the table's
 * "other" stack, with exact totals, and every block of them names that group.
 */
class LeakGroupsTest {
    private static LeakedBlock block(long address, long size, long timeNs, int stack) {
        return new LeakedBlock(address, size, timeNs, 0, 0, stack, Region.DRAM, -1);
    }

    @Test
    void theSmallestGroupsBeyondTheCapAreFoldedWithExactTotals() {
        StackTable stacks = new StackTable();
        int a = stacks.intern(0x42000010L);
        int b = stacks.intern(0x42000020L);
        int c = stacks.intern(0x42000030L);
        int d = stacks.intern(0x42000040L);
        int e = stacks.intern(0x42000050L);
        List<LeakedBlock> leaks = new ArrayList<>();
        // a: 300 B, b: 200 B in 2 blocks, c: 200 B in 1 (b ranks first: more blocks), d: 50 B, e: 40 B
        leaks.add(block(0x100, 40, 10, e));
        leaks.add(block(0x200, 100, 20, b));
        leaks.add(block(0x300, 300, 30, a));
        leaks.add(block(0x400, 200, 40, c));
        leaks.add(block(0x500, 50, 50, d));
        leaks.add(block(0x600, 100, 60, b));
        List<LeakedBlock> given = List.copyOf(leaks);
        LeakGroups all = LeakGroups.of(leaks, new HeapListings(), 0, 100, 10, stacks::other);
        assertThat(all.foldedStacks()).isZero();
        assertThat(all.groups()).extracting(LeakGroup::stack).containsExactly(a, b, c, d, e);
        assertThat(leaks).isEqualTo(given);

        // one heap listing held a's block and those of d and e, both folded below
        HeapListings listings = new HeapListings();
        LiveBlocks listed = new LiveBlocks();
        listed.put(0x100, 40, 10, 0, e, 0, 0, 0);
        listed.put(0x300, 300, 30, 1, a, 0, 0, 0);
        listed.put(0x500, 50, 50, 2, d, 0, 0, 0);
        listings.end(new Snapshot(55, 0, 0, Snapshot.Boundary.END, "heap_trace_dump", 1, Snapshot.Declared.NONE, false), listed);
        LeakGroups capped = LeakGroups.of(leaks, listings, 0, 100, 3, stacks::other);
        int other = stacks.other();
        assertThat(capped.foldedStacks()).isEqualTo(2);
        assertThat(capped.groups()).extracting(LeakGroup::stack).containsExactly(a, b, c, other);
        assertThat(capped.groups().subList(0, 3)).extracting(LeakGroup::bytes, LeakGroup::blocks, LeakGroup::sizes)
                .isEqualTo(all.groups().subList(0, 3).stream().map(g -> tuple(g.bytes(), g.blocks(), g.sizes())).toList());
        LeakGroup folded = capped.groups().get(3);
        assertThat(folded.bytes()).isEqualTo(90);
        assertThat(folded.blocks()).isEqualTo(2);
        assertThat(folded.sizes()).containsEntry(40L, 1L).containsEntry(50L, 1L).hasSize(2);
        assertThat(folded.firstNs()).isEqualTo(10);
        assertThat(folded.lastNs()).isEqualTo(50);
        assertThat(folded.growth().kind()).isEqualTo(Growth.Kind.UNKNOWN);
        assertThat(capped.groups()).extracting(LeakGroup::perSnapshot).containsExactly(List.of(1L), List.of(0L), List.of(0L), List.of(2L));
        assertThat(capped.groups().stream().mapToLong(LeakGroup::bytes).sum()).isEqualTo(790);
        // the blocks keep their order and everything but the stack, which is now their group's
        assertThat(leaks).extracting(LeakedBlock::address).containsExactly(0x100L, 0x200L, 0x300L, 0x400L, 0x500L, 0x600L);
        assertThat(leaks).extracting(LeakedBlock::stack).containsExactly(other, b, a, c, other, b);
        assertThat(stacks.isOther(other)).isTrue();
        assertThat(stacks.frames(other)).containsExactly(StackTable.OTHER_FRAME);
    }

    /** A group counts each size of its blocks, however many distinct sizes it has (zero and large ones too), in size order. */
    @Test
    void aGroupCountsEverySizeOfItsBlocks() {
        StackTable stacks = new StackTable();
        int a = stacks.intern(0x42000010L);
        Random random = new Random(5);
        List<LeakedBlock> leaks = new ArrayList<>();
        TreeMap<Long, Long> expected = new TreeMap<>();
        for (int i = 0; i < 20_000; i++) {
            long size = switch (i % 4) {
                case 0 -> 8L * random.nextInt(40);
                case 1 -> random.nextInt(5000);
                case 2 -> (long) random.nextInt(64) << 32; // the same low bits
                default -> 0;
            };
            leaks.add(block(0x1000 + 16L * i, size, i, a));
            expected.merge(size, 1L, Long::sum);
        }
        LeakGroup group = LeakGroups.of(leaks, new HeapListings(), 0, 20_000, 10, stacks::other).groups().get(0);
        assertThat(group.sizes()).isEqualTo(expected);
        assertThat(new ArrayList<>(group.sizes().keySet())).isSorted();
        assertThat(group.blocks()).isEqualTo(20_000);
    }
}
