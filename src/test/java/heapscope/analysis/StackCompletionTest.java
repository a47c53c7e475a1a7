package heapscope.analysis;

import heapscope.Fixtures;
import heapscope.source.InputSpec;
import heapscope.symbols.Callers;
import heapscope.symbols.Symbolizer;
import heapscope.sysview.SvDecoder;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.HeapEvent;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The proof on real captures: cut every recorded stack to 1 and 2 frames, complete it from the ELF's call graph, and
 * hold each inferred frame against the frame the device recorded there. Certain frames must all be right; recall
 * (recorded frames recovered as certain, and next frames found among the candidates) is what docs/analysis.md
 * states.
 */
class StackCompletionTest {
    /**
     * Frames recorded beyond the cut, those completion inferred as certain and right, certain and wrong (or beyond
     * the recorded end), stops at 2-5 candidates, and stops whose candidates hold the recorded next caller.
     */
    record Score(int frames, int certain, int wrong, int candidateStops, int candidateHits) {
    }

    @Test
    void espIdfRecordingCutToTwoAndOneFrames() throws IOException {
        Symbolizer elf = Symbolizer.open(Fixtures.corpus("esp-idf-sysview/sysview_tracing_heap_log.elf"));
        List<long[]> stacks = recordedStacks(Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"),
                Fixtures.corpus("esp-idf-sysview/heap_log1.svdat"));
        // docs/analysis.md states these figures: no certain frame (each next caller has 2 or more call sites, or is a
        // task function whose address is taken), and at 2 frames the next recorded caller among 2-5 candidates
        assertEquals(new Score(28, 0, 0, 8, 8), score(elf.callers(), stacks, 2));
        assertEquals(new Score(37, 0, 0, 0, 0), score(elf.callers(), stacks, 1));
    }

    @Test
    void exampleFirmwareCutToTwoAndOneFrames() throws IOException {
        Symbolizer elf = Symbolizer.open(Fixtures.example("connection/app.elf"));
        List<long[]> stacks = recordedStacks(Fixtures.example("connection/cpu0.svdat"), Fixtures.example("connection/cpu1.svdat"));
        // precision: wrong = 0; recall at 2 frames 24 of 43 recorded frames certain, and every stop among candidates
        // names the recorded caller; at 1 frame the allocator's many callers stop it at once
        assertEquals(new Score(43, 24, 0, 5, 5), score(elf.callers(), stacks, 2));
        assertEquals(new Score(55, 0, 0, 4, 4), score(elf.callers(), stacks, 1));
    }

    /** The distinct recorded stacks deeper than 2 frames that heap events of the capture carry. */
    static List<long[]> recordedStacks(Path... files) throws IOException {
        List<InputSpec> specs = new ArrayList<>();
        List<InputStream> streams = new ArrayList<>();
        for (Path p : files) {
            specs.add(InputSpec.parse(p.toString()));
            streams.add(Files.newInputStream(p));
        }
        TreeSet<Integer> ids = new TreeSet<>();
        List<long[]> out = new ArrayList<>();
        try (EventReader r = new SvDecoder(false).open(specs, streams)) {
            for (Event e = r.next(); e != null; e = r.next()) {
                if (e instanceof HeapEvent h && ids.add(h.stack())) {
                    long[] f = r.recording().stacks().frames(h.stack());
                    if (f.length > 2) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    static Score score(Callers callers, List<long[]> recorded, int cut) {
        StackTable table = new StackTable();
        StackCompletion completion = new StackCompletion(callers, table);
        int frames = 0, certain = 0, wrong = 0, stops = 0, hits = 0;
        for (long[] full : recorded) {
            int id = completion.complete(table.intern(Arrays.copyOf(full, cut), cut));
            long[] got = table.frames(id);
            frames += full.length - cut;
            int k = cut;
            for (; k < got.length && k < full.length; k++) {
                if (got[k] == full[k]) {
                    certain++;
                } else {
                    wrong++;
                }
            }
            wrong += Math.max(0, got.length - full.length); // beyond what was recorded: cannot be confirmed
            long[] next = table.candidates(id);
            if (next.length > 0 && k < full.length) {
                stops++;
                long at = full[k];
                hits += Arrays.stream(next).anyMatch(c -> c == at) ? 1 : 0;
            }
        }
        return new Score(frames, certain, wrong, stops, hits);
    }
}
