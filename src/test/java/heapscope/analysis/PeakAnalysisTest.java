package heapscope.analysis;

import heapscope.capture.CaptureSettings;
import heapscope.capture.Captures;
import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.sim.PeakScenario;
import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.EventReader;
import heapscope.trace.Free;
import heapscope.trace.HeapSample;
import heapscope.trace.Recording;
import heapscope.trace.Snapshot;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Peak and low-water attribution, temporary allocations and sizes against traces whose composition is known. */
class PeakAnalysisTest {
    @Test
    void thePeakOfTheScenarioIsAttributedBlockForBlock(@TempDir Path dir) throws IOException {
        Path file = PeakScenario.write(dir);
        LeakReport r;
        try (EventReader reader = Captures.open(List.of(file.toString()), CaptureSettings.heap())) {
            r = LeakAnalysis.run(reader, null);
        }
        StackTable stacks = r.recording().stacks();
        int a = stackOf(stacks, PeakScenario.A);
        int b = stackOf(stacks, PeakScenario.B);
        int c = stackOf(stacks, PeakScenario.C);
        int d = stackOf(stacks, PeakScenario.D);
        int t = stackOf(stacks, PeakScenario.T);
        PeakReport p = r.peaks();

        assertThat(p.peak().liveBytes()).isEqualTo(PeakScenario.PEAK_BYTES);
        assertThat(p.peak().liveBlocks()).isEqualTo(PeakScenario.PEAK_BLOCKS);
        assertThat(p.peak().split()).isTrue();
        assertThat(p.peak().sites()).extracting(PeakReport.Site::stack, PeakReport.Site::bytes, PeakReport.Site::blocks,
                        PeakReport.Site::leakBytes, PeakReport.Site::leakBlocks, PeakReport.Site::region)
                .containsExactly(tuple(b, 10_240L, 20L, 0L, 0L, Region.DRAM), tuple(c, 10_240L, 5L, 4_096L, 2L, Region.DRAM),
                        tuple(a, 1_000L, 10L, 1_000L, 10L, Region.DRAM));
        assertThat(p.peak().siteCount()).isEqualTo(3);

        assertThat(p.failedAllocs()).isEqualTo(1);
        PeakReport.Moment failed = p.failures().get(0);
        assertThat(failed.what().size()).isEqualTo(PeakScenario.FAILED_SIZE);
        assertThat(failed.liveBytes()).isEqualTo(1_000 + 20 * 512);
        assertThat(failed.sites()).extracting(PeakReport.Site::stack, PeakReport.Site::bytes, PeakReport.Site::leakBytes)
                .containsExactly(tuple(b, 10_240L, 0L), tuple(a, 1_000L, 1_000L));

        assertThat(p.stackPeaks()).extracting(PeakReport.StackPeak::stack, PeakReport.StackPeak::peakBytes, PeakReport.StackPeak::endBytes)
                .containsExactly(tuple(b, 10_240L, 0L), tuple(c, 10_240L, 4_096L), tuple(d, 2_048L, 2_048L), tuple(a, 1_000L, 1_000L),
                        tuple(t, 32L, 0L));
        assertThat(p.temporary().sites()).extracting(PeakReport.TemporarySite::stack, PeakReport.TemporarySite::blocks,
                PeakReport.TemporarySite::bytes, PeakReport.TemporarySite::allocations).containsExactly(tuple(t, 50L, 1_600L, 50L));
        assertThat(p.temporary().allocations()).isEqualTo(10 + 50 + 20 + 5 + 8);

        assertThat(p.allocated()).extracting(PeakReport.SizeClass::from, PeakReport.SizeClass::blocks, PeakReport.SizeClass::bytes)
                .containsExactly(tuple(32L, 50L, 1_600L), tuple(64L, 10L, 1_000L), tuple(256L, 8L, 2_048L), tuple(512L, 20L, 10_240L),
                        tuple(2048L, 5L, 10_240L));
        assertThat(p.livePeak()).extracting(PeakReport.SizeClass::from, PeakReport.SizeClass::blocks, PeakReport.SizeClass::overhead)
                .containsExactly(tuple(64L, 10L, 40L), tuple(512L, 20L, 80L), tuple(2048L, 5L, 20L));
        assertThat(p.costs()).extracting(PeakReport.RegionCost::blocks, PeakReport.RegionCost::bytes, PeakReport.RegionCost::overhead)
                .containsExactly(tuple(PeakScenario.PEAK_BLOCKS, PeakScenario.PEAK_BYTES, PeakScenario.PEAK_OVERHEAD));
    }

    /** The stack whose outermost frame is the scenario's (the decoder may keep fewer of the inner ones). */
    private static int stackOf(StackTable stacks, long[] frames) {
        for (int id = 0; id < stacks.size(); id++) {
            long[] f = stacks.frames(id);
            if (f.length > 0 && f[f.length - 1] == frames[frames.length - 1]) {
                return id;
            }
        }
        throw new AssertionError("no stack ends in " + Long.toHexString(frames[frames.length - 1]));
    }

    private final Recording rec = new Recording();
    private final int x = rec.stacks().intern(0x400D1000L);
    private final int y = rec.stacks().intern(0x400D2000L);
    private final int task = rec.contexts().intern(Context.Kind.TASK, "main");

    @Test
    void theLowWaterIsTheLiveSetAtTheLowestReadingNotAtTheEnd() {
        LeakAnalysis a = new LeakAnalysis(Chip.ESP32);
        a.accept(new Alloc(1, 0, task, 0x3FFB0000L, 100, x));
        a.accept(new HeapSample(2, 0, 1, true, "internal", 5_000, -1, -1, -1));
        a.accept(new Alloc(3, 0, task, 0x3FFB1000L, 300, y));
        a.accept(new HeapSample(4, 0, 2, true, "internal", 4_000, -1, -1, -1)); // the lowest
        a.accept(new Free(5, 0, task, 0x3FFB1000L, y));
        a.accept(new Alloc(6, 0, task, 0x3FFB2000L, 50, y));
        a.accept(new HeapSample(7, 0, 3, true, "internal", 4_500, -1, -1, -1));
        PeakReport.Moment low = a.finish(rec).peaks().lowWater();
        assertThat(low.what().free()).isEqualTo(4_000);
        assertThat(low.liveBytes()).isEqualTo(400);
        assertThat(low.sites()).extracting(PeakReport.Site::stack, PeakReport.Site::bytes, PeakReport.Site::leakBytes, PeakReport.Site::region)
                .containsExactly(tuple(y, 300L, 0L, Region.DRAM), tuple(x, 100L, 100L, Region.DRAM));
    }

    @Test
    void theTemporaryRuleCountsAllocationsInBetweenOrTime() {
        for (TemporaryRule rule : List.of(new TemporaryRule(1, -1), TemporaryRule.parse("15us"))) {
            LeakAnalysis a = new LeakAnalysis(null, null, null, rule);
            a.accept(new Alloc(0, 0, task, 0x3FFB0000L, 8, x));
            a.accept(new Alloc(10_000, 0, task, 0x3FFB1000L, 8, y));
            a.accept(new Free(11_000, 0, task, 0x3FFB0000L, x)); // one allocation in between, 11 µs
            a.accept(new Alloc(20_000, 0, task, 0x3FFB2000L, 8, y));
            a.accept(new Alloc(30_000, 0, task, 0x3FFB3000L, 8, y));
            a.accept(new Free(40_000, 0, task, 0x3FFB1000L, y)); // two in between, 30 µs: not temporary
            PeakReport.Temporary tmp = a.finish(rec).peaks().temporary();
            assertThat(tmp.sites()).extracting(PeakReport.TemporarySite::stack).as(rule.describe()).containsExactly(x);
        }
        assertThat(TemporaryRule.parse("2ms")).isEqualTo(new TemporaryRule(-1, 2_000_000));
        assertThat(TemporaryRule.parse("-1")).isNull();
        assertThat(TemporaryRule.parse("soon")).isNull();
    }

    @Test
    void aPeakReachedAgainKeepsTheFirstAndItsCompositionStaysExact() {
        LeakAnalysis a = new LeakAnalysis(Chip.ESP32);
        a.accept(new Alloc(1, 0, task, 0x3FFB0000L, 100, x)); // peak 100: x
        a.accept(new Free(2, 0, task, 0x3FFB0000L, x));
        a.accept(new Alloc(3, 0, task, 0x3FFB1000L, 60, y));
        a.accept(new Alloc(4, 0, task, 0x3FFB2000L, 60, x)); // peak 120: x 60, y 60
        a.accept(new Free(5, 0, task, 0x3FFB1000L, y));
        a.accept(new Alloc(6, 0, task, 0x3FFB3000L, 60, y)); // 120 again: not a new peak
        PeakReport.Moment peak = a.finish(rec).peaks().peak();
        assertThat(peak.timeNs()).isEqualTo(4);
        assertThat(peak.sites()).extracting(PeakReport.Site::stack, PeakReport.Site::bytes, PeakReport.Site::leakBytes)
                .containsExactly(tuple(x, 60L, 60L), tuple(y, 60L, 0L));
    }

    @Test
    void listingsBetweenEventsLeaveThePeakAStraightCountOfTheLiveSetWouldGive() {
        // a model of the live set, replaced whole by each complete listing, against the analysis that follows only the
        // rows a listing changed: the peak, its stacks and size classes and each stack's own peak must be the same
        int[] stacks = new int[6];
        for (int k = 0; k < stacks.length; k++) {
            stacks[k] = rec.stacks().intern(0x400D1000L + 0x100L * k);
        }
        long[] sizes = {8, 24, 100, 512, 3000};
        for (int seed = 0; seed < 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            LeakAnalysis a = new LeakAnalysis(Chip.ESP32);
            Map<Long, long[]> live = new LinkedHashMap<>(); // address -> size, stack
            long time = 0;
            long peakBytes = -1;
            long peakNs = -1;
            Map<Integer, long[]> peakSites = Map.of();
            Map<Long, long[]> peakClasses = Map.of();
            Map<Integer, long[]> stackPeaks = new HashMap<>();
            int listings = 0;
            for (int step = 0; step < 400; step++) {
                time++;
                int what = random.nextInt(10);
                if (what < 5 || live.isEmpty()) {
                    long address = address(random);
                    if (live.containsKey(address)) {
                        continue;
                    }
                    long[] block = {sizes[random.nextInt(sizes.length)], stacks[random.nextInt(stacks.length)]};
                    a.accept(new Alloc(time, 0, task, address, block[0], (int) block[1]));
                    live.put(address, block);
                } else if (what < 8) {
                    long address = List.copyOf(live.keySet()).get(random.nextInt(live.size()));
                    a.accept(new Free(time, 0, task, address, (int) live.remove(address)[1]));
                } else {
                    // a listing: most blocks again, a few gone, a few changed, a few new; one in eight is cut off
                    Map<Long, long[]> listed = new LinkedHashMap<>();
                    live.forEach((address, block) -> {
                        int fate = random.nextInt(10);
                        if (fate == 0) {
                            listed.put(address, new long[] {sizes[random.nextInt(sizes.length)], block[1]});
                        } else if (fate == 1) {
                            listed.put(address, new long[] {block[0], stacks[random.nextInt(stacks.length)]});
                        } else if (fate != 2) {
                            listed.put(address, block);
                        }
                    });
                    for (int n = random.nextInt(4); n > 0; n--) {
                        listed.putIfAbsent(address(random), new long[] {sizes[random.nextInt(sizes.length)], stacks[random.nextInt(stacks.length)]});
                    }
                    boolean cut = random.nextInt(8) == 0 && listings > 0;
                    a.accept(new Snapshot(time, 0, listings, Snapshot.Boundary.START, "heap_trace_dump", step, Snapshot.Declared.NONE, false));
                    long at = time;
                    listed.forEach((address, block) -> a.accept(new Alloc(at, 0, task, address, block[0], (int) block[1])));
                    a.accept(new Snapshot(time, 0, listings, Snapshot.Boundary.END, "heap_trace_dump", step, Snapshot.Declared.NONE, cut));
                    if (cut) {
                        continue;
                    }
                    listings++;
                    live.clear();
                    live.putAll(listed);
                }
                Map<Integer, long[]> sites = totals(live, b -> (int) b[1]);
                sites.forEach((stack, t) -> stackPeaks.merge(stack, t, (old, now) -> now[0] > old[0] ? now : old));
                long bytes = live.values().stream().mapToLong(b -> b[0]).sum();
                if (bytes > peakBytes) {
                    peakBytes = bytes;
                    peakNs = time;
                    peakSites = sites;
                    peakClasses = totals(live, b -> HeapCost.sizeClass(b[0]) == 0 ? 0L : 1L << HeapCost.sizeClass(b[0]));
                }
            }
            PeakReport p = a.finish(rec).peaks();
            String as = "seed " + seed;
            assertThat(p.peak().liveBytes()).as(as).isEqualTo(peakBytes);
            assertThat(p.peak().timeNs()).as(as).isEqualTo(peakNs);
            assertThat(byKey(p.peak().sites(), PeakReport.Site::stack, PeakReport.Site::bytes, PeakReport.Site::blocks)).as(as)
                    .isEqualTo(flat(peakSites));
            assertThat(byKey(p.livePeak(), PeakReport.SizeClass::from, PeakReport.SizeClass::bytes, PeakReport.SizeClass::blocks)).as(as)
                    .isEqualTo(flat(peakClasses));
            stackPeaks.values().removeIf(t -> t[0] == 0);
            assertThat(byKey(p.stackPeaks(), PeakReport.StackPeak::stack, PeakReport.StackPeak::peakBytes, PeakReport.StackPeak::peakBlocks))
                    .as(as).isEqualTo(flat(stackPeaks));
        }
    }

    /** An address in one of two 1 MiB windows, so that blocks fall in both. */
    private static long address(SplittableRandom random) {
        return (random.nextBoolean() ? 0x3FFB0000L : 0x3FC90000L) + 16L * random.nextInt(60);
    }

    /** Bytes and blocks of the model's live set per key. */
    private static <K> Map<K, long[]> totals(Map<Long, long[]> live, Function<long[], K> key) {
        Map<K, long[]> out = new HashMap<>();
        live.values().forEach(b -> {
            long[] t = out.computeIfAbsent(key.apply(b), k -> new long[2]);
            t[0] += b[0];
            t[1]++;
        });
        return out;
    }

    private static <K> Map<K, List<Long>> flat(Map<K, long[]> totals) {
        Map<K, List<Long>> out = new HashMap<>();
        totals.forEach((k, t) -> out.put(k, List.of(t[0], t[1])));
        return out;
    }

    private static <T, K> Map<K, List<Long>> byKey(List<T> rows, Function<T, K> key, ToLongFunction<T> bytes, ToLongFunction<T> blocks) {
        Map<K, List<Long>> out = new HashMap<>();
        rows.forEach(r -> out.put(key.apply(r), List.of(bytes.applyAsLong(r), blocks.applyAsLong(r))));
        return out;
    }
}
