package heapscope.log;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.sim.SyntheticLog;
import heapscope.sim.SyntheticLog.Block;
import heapscope.sim.SyntheticLog.Generation;
import heapscope.trace.Alloc;
import heapscope.trace.Event;
import heapscope.trace.Free;
import heapscope.trace.Recording;
import heapscope.trace.Snapshot;
import heapscope.trace.Warning;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * heap_trace_dump output of every ESP-IDF generation, mode and stack depth, clean and with the noise of real
 * captures, written by {@link SyntheticLog}: every intact record comes back, every garbled line is reported.
 */
class HeapTraceDumpTest {
    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        long seed = 1;
        for (Generation g : Generation.values()) {
            for (boolean all : new boolean[] {false, true}) {
                for (int depth : new int[] {0, 2, 5}) {
                    for (boolean noise : new boolean[] {false, true}) {
                        out.add(Arguments.of(new SyntheticLog.Spec(g, depth, all, 3, 40, noise, seed++)));
                    }
                }
            }
        }
        return out.stream();
    }

    private record Decoded(List<List<Block>> dumps, Recording recording, LeakReport report) {
    }

    private static Decoded decode(String log) throws IOException {
        List<List<Block>> dumps = new ArrayList<>();
        LeakAnalysis analysis = new LeakAnalysis(null);
        Map<Long, Block> current = new HashMap<>();
        List<Block> order = new ArrayList<>();
        try (LogDecoder d = new LogDecoder(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "test.log", new Recording(), false)) {
            for (Event e = d.next(); e != null; e = d.next()) {
                analysis.accept(e);
                switch (e) {
                    case Snapshot s when s.boundary() == Snapshot.Boundary.START -> order = new ArrayList<>();
                    case Snapshot s -> dumps.add(order);
                    case Alloc a -> {
                        List<Long> callers = Arrays.stream(d.recording().stacks().frames(a.stack())).boxed().toList();
                        Block b = new Block(a.address(), a.size(), a.core(), callers, false);
                        current.put(a.address(), b);
                        order.add(b);
                    }
                    case Free f -> {
                        Block b = current.get(f.address());
                        order.set(order.indexOf(b), new Block(b.address(), b.size(), b.cpu(), b.callers(), true));
                    }
                    default -> {
                    }
                }
            }
            return new Decoded(dumps, d.recording(), analysis.finish(d.recording()));
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyIntactRecordComesBackAndEveryGarbledLineIsReported(SyntheticLog.Spec spec) throws IOException {
        StringWriter w = new StringWriter();
        SyntheticLog.Truth truth = SyntheticLog.write(spec, w);
        Decoded d = decode(w.toString());

        assertThat(d.dumps()).hasSize(spec.dumps());
        assertThat(d.dumps()).isEqualTo(truth.dumps());
        TreeSet<Long> skipped = new TreeSet<>();
        for (Warning x : d.recording().warnings()) {
            assertThat(x.unit()).isEqualTo(Warning.Unit.LINE);
            if (x.message().contains("skipped")) {
                skipped.add(x.position());
            }
        }
        assertThat(skipped).containsExactlyElementsOf(new TreeSet<>(truth.skippedLines()));
        if (truth.skippedLines().isEmpty() && !truth.lastDumpCut()) {
            assertThat(d.recording().warnings()).isEmpty(); // the dumps' own summaries agree with what was decoded
        }
        if (truth.lastDumpCut()) {
            assertThat(d.recording().warnings()).anyMatch(x -> x.message().contains("log ends inside the heap trace dump"));
        }
        List<Long> leaked = d.report().leaks().stream().map(LeakedBlock::address).sorted().toList();
        assertThat(leaked).isEqualTo(truth.leaked().stream().map(Block::address).sorted().toList());
        assertThat(d.report().snapshots()).hasSize(truth.completeDumps());
        // blocks from the leaking sites survive from one dump to the next
        if (!truth.lastDumpCut() && spec.dumps() > 1) {
            assertThat(d.report().leaks()).anyMatch(b -> b.sinceSnapshot() < spec.dumps() - 1);
        }
    }
}
