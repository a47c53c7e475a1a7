package heapscope.log;

import heapscope.sim.SyntheticLog;
import heapscope.trace.Event;
import heapscope.trace.Recording;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which thread reads a heap trace record depends on how fast the events are taken (the reading thread reads them
 * while the queue of batches is half full): the events and warnings must not.
 */
class RecordReadingThreadTest {
    @Test
    void aSlowConsumerGetsTheSameEventsAsAFastOne() throws IOException {
        for (boolean noise : new boolean[] {false, true}) {
            StringWriter log = new StringWriter();
            SyntheticLog.write(new SyntheticLog.Spec(SyntheticLog.Generation.V5_5, 5, true, 6, 40, noise, 3, 4000), log);
            byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
            assertThat(decode(bytes, 0)).as("noise " + noise).isEqualTo(decode(bytes, 2000)); // many batches, taken fast or slowly
        }
    }

    /** Every event, with its stack's frames, and every warning; a pause every {@code pauseEvery} events (0: none). */
    private static List<String> decode(byte[] log, int pauseEvery) throws IOException {
        Recording rec = new Recording();
        List<String> out = new ArrayList<>();
        try (LogDecoder d = new LogDecoder(new ByteArrayInputStream(log), "log", rec, false)) {
            long n = 0;
            for (Event e = d.next(); e != null; e = d.next()) {
                StackTable stacks = rec.stacks();
                int stack = e instanceof heapscope.trace.HeapEvent h ? h.stack() : 0;
                out.add(e + " " + LongStream.range(0, stacks.depth(stack)).map(k -> stacks.frame(stack, (int) k)).boxed().toList());
                if (pauseEvery > 0 && ++n % pauseEvery == 0) {
                    pause(); // the reading thread fills the queue meanwhile, and reads records itself
                }
            }
        }
        rec.warnings().forEach(w -> out.add(w.position() + ": " + w.message()));
        return out;
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
