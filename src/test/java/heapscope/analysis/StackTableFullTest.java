package heapscope.analysis;

import heapscope.log.LogDecoder;
import heapscope.sim.ConnectionScenario;
import heapscope.trace.Recording;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A capture with more distinct call stacks than the table holds keeps exact totals and says what it folded. */
class StackTableFullTest {
    private static LeakReport analyze(Recording recording) throws Exception {
        StringWriter log = new StringWriter();
        ConnectionScenario.writeLog(log, 4, false, ConnectionScenario.Stacks.synthetic());
        try (LogDecoder decoder = new LogDecoder(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)),
                "capture.log", recording, false)) {
            return new LeakAnalysis(null).read(decoder);
        }
    }

    @Test
    void foldedStacksKeepEveryTotalAndTheReportSaysTheTableFilled() throws Exception {
        LeakReport whole = analyze(new Recording());
        assertThat(whole.groups().size()).isGreaterThan(4);
        assertThat(whole.recording().stacks().full()).isEqualTo(-1);

        LeakReport capped = analyze(new Recording(4, StackTable.MAX_FRAMES)); // the empty stack, two kept, the fold
        StackTable stacks = capped.recording().stacks();
        assertThat(stacks.full()).isPositive();
        assertThat(capped.leakedBytes()).isEqualTo(whole.leakedBytes()).isEqualTo(4608 + 4 * 8628L); // the scenario's ground truth
        assertThat(capped.leakedBlocks()).isEqualTo(whole.leakedBlocks());
        assertThat(capped.counts()).isEqualTo(whole.counts());
        assertThat(capped.groups()).hasSizeLessThanOrEqualTo(3);
        assertThat(capped.groups().stream().mapToLong(LeakGroup::bytes).sum()).isEqualTo(whole.leakedBytes());
        assertThat(capped.groups()).anySatisfy(g -> assertThat(g.stack()).isEqualTo(stacks.full()));
        assertThat(capped.recording().warnings()).filteredOn(w -> w.message().startsWith("stack table full")).hasSize(1);
        assertThat(whole.recording().warnings()).noneMatch(w -> w.message().startsWith("stack table full"));
    }
}
