package heapscope.sim;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.source.InputSpec;
import heapscope.sysview.SvDecoder;
import heapscope.trace.EventReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated trace decodes to exactly its ground truth: every heap event, and the planted leaks only. */
class SyntheticTraceTest {
    @TempDir
    Path dir;

    @Test
    void analysisFindsExactlyThePlantedLeaks() throws IOException {
        SyntheticTrace.Truth truth = SyntheticTrace.write(new SyntheticTrace.Spec(150_000, 300, 40, 9), dir);
        LeakReport r;
        try (EventReader reader = new SvDecoder(false).open(SyntheticTrace.files(dir).stream()
                .map(f -> (InputSpec) new InputSpec.FileInput(f)).toList())) {
            r = LeakAnalysis.run(reader, null);
        }
        assertThat(r.counts().heapEvents()).isEqualTo(truth.heapEvents());
        assertThat(r.counts().allocs()).isEqualTo(truth.allocs());
        assertThat(r.counts().frees()).isEqualTo(truth.frees());
        assertThat(r.leakedBlocks()).isEqualTo(40);
        assertThat(r.leakedBytes()).isEqualTo(truth.leakedBytes());
        assertThat(r.leaks().stream().map(LeakedBlock::address).toList()).isEqualTo(truth.leakedAddresses());
        assertThat(r.groups()).hasSize(3); // three leaky call sites
        assertThat(r.diagnostics().unmatchedFrees() + r.diagnostics().duplicateAllocs()).isZero();
        assertThat(r.recording().warnings()).isEmpty();
        assertThat(r.leaks().stream().map(b -> b.core()).distinct().sorted().toList()).isEqualTo(List.of(0, 1));
    }
}
