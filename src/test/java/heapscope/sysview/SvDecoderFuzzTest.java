package heapscope.sysview;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import heapscope.analysis.LeakAnalysis;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.trace.EventReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes given as one trace, or as one trace per core, are decoded and analysed, or refused with one line naming
 * the file; warnings about damage name the file too. Any other exception, a hang or an allocation beyond the test
 * heap is a finding. A normal test run replays the inputs under
 * src/test/resources/heapscope/sysview/SvDecoderFuzzTestInputs; {@code scripts/fuzz} searches for new ones.
 */
class SvDecoderFuzzTest {
    /** The decoder reads a file again to show the bytes around damage, and to split a multi-core container. */
    private static final Path DIR = temporaryDirectory();
    private static final Path CORE0 = DIR.resolve("cpu0.svdat");
    private static final Path CORE1 = DIR.resolve("cpu1.svdat");

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("heapscope-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anyTraceDecodesOrFailsWithItsName(FuzzedDataProvider data) throws IOException {
        boolean twoCores = data.consumeBoolean();
        boolean systemEvents = data.consumeBoolean();
        byte[] first = twoCores ? data.consumeBytes(data.consumeInt(0, data.remainingBytes())) : data.consumeRemainingAsBytes();
        byte[] second = twoCores ? data.consumeRemainingAsBytes() : new byte[0];
        Files.write(CORE0, first);
        Files.write(CORE1, second);
        List<InputSpec> specs = twoCores ? List.of(new InputSpec.FileInput(CORE0), new InputSpec.FileInput(CORE1))
                : List.of(new InputSpec.FileInput(CORE0));
        try (EventReader r = new SvDecoder(systemEvents).open(specs)) {
            LeakAnalysis.run(r, null);
            assertThat(r.recording().warnings()).allSatisfy(w -> {
                assertThat(w.source()).endsWith(".svdat");
                assertThat(w.position()).as(w.format()).isLessThanOrEqualTo(Math.max(first.length, second.length));
            });
        } catch (InputException e) {
            assertThat(e.getMessage()).contains(".svdat").doesNotContain("\n");
        }
    }
}
