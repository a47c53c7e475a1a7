package heapscope.analysis;

import heapscope.trace.Alloc;
import heapscope.trace.Free;
import heapscope.trace.Recording;
import heapscope.trace.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Heap listings read by their order (a block listed again at its place in the last listing): the totals and dates must
 * be those of a lookup in the set before the listing, also where the order breaks, the set changed between listings
 * or a listing freed or repeated a block.
 */
class RelistedBlocksTest {
    private final Recording rec = new Recording();
    private final int s0 = rec.stacks().intern(0x400D1000L);
    private final int s1 = rec.stacks().intern(0x400D2000L);
    private final LeakAnalysis analysis = new LeakAnalysis(null);
    private int listing;
    private long time;

    private void list(long[]... records) {
        time += 1_000;
        analysis.accept(new Snapshot(time, 0, listing, Snapshot.Boundary.START, "heap_trace_dump", listing, Snapshot.Declared.NONE, false));
        for (long[] r : records) {
            if (r.length == 1) {
                analysis.accept(new Free(time, 0, 0, r[0], 0)); // the record before was freed (HEAP_TRACE_ALL)
            } else {
                analysis.accept(new Alloc(time, 0, 0, r[0], r[1], (int) r[2]));
            }
        }
        analysis.accept(new Snapshot(time, 0, listing++, Snapshot.Boundary.END, "heap_trace_dump", listing, Snapshot.Declared.NONE, false));
    }

    private long[] block(long address, long size, int stack) {
        return new long[] {address, size, stack};
    }

    @Test
    void blocksListedAgainAreCountedOnceWhateverTheirOrder() {
        list(block(0x100, 10, s0), block(0x200, 20, s1), block(0x300, 30, s0));
        list(block(0x100, 10, s0), block(0x300, 30, s0), block(0x400, 40, s1)); // 0x200 freed, 0x400 new
        analysis.accept(new Free(time + 1, 0, 0, 0x100, 0)); // freed between listings: listed after, it is a new block
        analysis.accept(new Alloc(time + 2, 0, 0, 0x100, 10, s0));
        list(block(0x100, 10, s0), block(0x300, 30, s0), block(0x400, 40, s1));
        list(block(0x400, 40, s1), block(0x100, 10, s0), block(0x300, 31, s0)); // reordered; 0x300 resized: new
        list(block(0x400, 40, s1), block(0x500, 50, s1), block(0x500, 50, s1), block(0x100, 10, s0)); // 0x500 twice
        list(block(0x400, 40, s1), block(0x100, 10, s0), block(0x500, 50, s1), block(0x600, 60, s0), new long[] {0x600});
        list(block(0x400, 40, s1), block(0x100, 10, s0), block(0x500, 50, s1), block(0x600, 60, s0));
        LeakReport r = analysis.finish(rec);

        // s0: 0x100 and 0x300 in the first listing, 0x100 again after its free, 0x300 resized, 0x600 twice (freed in between)
        assertThat(r.allocated().bytes(s0)).isEqualTo(10 + 30 + 10 + 31 + 60 + 60);
        assertThat(r.allocated().blocks(s0)).isEqualTo(6);
        // s1: 0x200, 0x400, and 0x500 as both records of the listing that printed it twice
        assertThat(r.allocated().bytes(s1)).isEqualTo(20 + 40 + 50 + 50);
        // a listing dates a block by the listings alone: 0x100, freed and made again between two, was listed in both
        assertThat(r.snapshots()).extracting(SnapshotInfo::aliveBlocks, SnapshotInfo::carried)
                .containsExactly(tuple(3L, 0L), tuple(3L, 2L), tuple(3L, 3L), tuple(3L, 2L), tuple(3L, 2L), tuple(3L, 3L), tuple(4L, 3L));
        assertThat(r.leaks()).extracting(LeakedBlock::address, LeakedBlock::sinceSnapshot)
                .containsExactlyInAnyOrder(tuple(0x400L, 1), tuple(0x100L, 0), tuple(0x500L, 4), tuple(0x600L, 6));
    }

    @Test
    void listingsThatChangeAFewBlocksAreDatedAsAComparisonWithTheListingBeforeWouldDateThem() {
        // a model that compares each complete listing with the one before by address, against the analysis, which
        // looks at the rows a listing changed only when nothing else changed the set since the listing before
        int[] stacks = new int[5];
        for (int k = 0; k < stacks.length; k++) {
            stacks[k] = rec.stacks().intern(0x400D3000L + 0x100L * k);
        }
        long[] sizes = {8, 24, 100, 3000};
        int fewChanged = 0;
        int complete = 0;
        for (int seed = 0; seed < 30; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            LeakAnalysis a = new LeakAnalysis(null);
            Map<Long, long[]> live = new LinkedHashMap<>(); // address -> size, stack
            Map<Long, long[]> last = new HashMap<>(); // the last complete listing: address -> size, stack, since
            List<long[]> expected = new ArrayList<>(); // per listing: blocks, bytes, carried
            List<Map<Integer, Long>> perStack = new ArrayList<>();
            long t = 0;
            boolean eventsSince = false;
            for (int step = 0; step < 60; step++) {
                for (int n = step == 0 ? 300 : random.nextInt(3) == 0 ? random.nextInt(40) : 0; n > 0; n--, t++) {
                    eventsSince = true;
                    if (step == 0 || random.nextInt(3) > 0 || live.isEmpty()) {
                        long address = 0x3FFB0000L + 16L * random.nextInt(4000);
                        if (!live.containsKey(address)) {
                            long[] block = {sizes[random.nextInt(sizes.length)], stacks[random.nextInt(stacks.length)]};
                            a.accept(new Alloc(t, 0, 0, address, block[0], (int) block[1]));
                            live.put(address, block);
                        }
                    } else {
                        long address = List.copyOf(live.keySet()).get(random.nextInt(live.size()));
                        live.remove(address);
                        a.accept(new Free(t, 0, 0, address, 0));
                    }
                }
                // a listing of most blocks again, in their order but now and then one out of it; a few gone, changed,
                // new, listed twice, or freed (HEAP_TRACE_ALL); one in ten cut off
                List<long[]> records = new ArrayList<>();
                int changes = 0;
                for (Map.Entry<Long, long[]> e : live.entrySet()) {
                    int fate = random.nextInt(live.size() < 50 ? 4 : 60);
                    long[] b = e.getValue();
                    long address = e.getKey();
                    switch (fate) {
                        case 0 -> changes++; // gone
                        case 1 -> records.add(new long[] {address, sizes[random.nextInt(sizes.length)], b[1]});
                        case 2 -> records.add(new long[] {address, b[0], stacks[random.nextInt(stacks.length)]});
                        case 3 -> {
                            records.add(new long[] {address, b[0], b[1]});
                            records.add(new long[] {address});
                        }
                        default -> records.add(new long[] {address, b[0], b[1]});
                    }
                    changes += fate > 0 && fate < 4 ? 1 : 0;
                }
                for (int n = random.nextInt(5); n > 0; n--, changes++) {
                    records.add(random.nextInt(records.size() + 1), new long[] {0x3FFB0000L + 16L * random.nextInt(4000),
                            sizes[random.nextInt(sizes.length)], stacks[random.nextInt(stacks.length)]});
                }
                if (!records.isEmpty() && random.nextInt(4) == 0) {
                    records.add(records.get(random.nextInt(records.size()))); // listed twice
                }
                boolean cut = random.nextInt(10) == 0 && !expected.isEmpty();
                t++;
                a.accept(new Snapshot(t, 0, step, Snapshot.Boundary.START, "heap_trace_dump", step, Snapshot.Declared.NONE, false));
                Map<Long, long[]> listed = new LinkedHashMap<>();
                for (long[] r : records) {
                    if (r.length == 1) {
                        a.accept(new Free(t, 0, 0, r[0], 0));
                        listed.remove(r[0]);
                    } else {
                        a.accept(new Alloc(t, 0, 0, r[0], r[1], (int) r[2]));
                        listed.put(r[0], new long[] {r[1], r[2]});
                    }
                }
                a.accept(new Snapshot(t, 0, step, Snapshot.Boundary.END, "heap_trace_dump", step, Snapshot.Declared.NONE, cut));
                if (cut) {
                    continue;
                }
                fewChanged += !eventsSince && changes * 8 < live.size() ? 1 : 0;
                complete++;
                eventsSince = false;
                int index = expected.size();
                Map<Long, long[]> dated = new HashMap<>();
                Map<Integer, Long> counts = new HashMap<>();
                long bytes = 0;
                long carried = 0;
                for (Map.Entry<Long, long[]> e : listed.entrySet()) {
                    long[] b = e.getValue();
                    long[] before = last.get(e.getKey());
                    long since = before != null && before[0] == b[0] && before[1] == b[1] ? before[2] : index;
                    dated.put(e.getKey(), new long[] {b[0], b[1], since});
                    counts.merge((int) b[1], 1L, Long::sum);
                    bytes += b[0];
                    carried += since < index ? 1 : 0;
                }
                expected.add(new long[] {listed.size(), bytes, carried});
                perStack.add(counts);
                last = dated;
                live = listed;
            }
            LeakReport r = a.finish(rec);
            String as = "seed " + seed;
            assertThat(r.snapshots()).as(as).extracting(x -> List.of(x.aliveBlocks(), x.aliveBytes(), x.carried()))
                    .containsExactlyElementsOf(expected.stream().map(e -> List.of(e[0], e[1], e[2])).toList());
            for (LeakGroup g : r.groups()) {
                List<Long> want = perStack.stream().map(c -> c.getOrDefault(g.stack(), 0L)).toList();
                assertThat(g.perSnapshot()).as(as + " stack " + g.stack()).isEqualTo(want);
            }
            Map<Long, long[]> lastListing = last;
            int listings = expected.size();
            Map<Long, Integer> since = new HashMap<>();
            live.forEach((address, b) -> {
                long[] before = lastListing.get(address);
                since.put(address, before != null && before[0] == b[0] && before[1] == b[1] ? (int) before[2] : listings - 1);
            });
            Map<Long, Integer> got = new HashMap<>();
            r.leaks().forEach(l -> got.put(l.address(), l.sinceSnapshot()));
            assertThat(got).as(as).isEqualTo(since);
        }
        assertThat(fewChanged).as("listings that change a few blocks, with nothing in between").isGreaterThan(complete / 3);
    }
}
