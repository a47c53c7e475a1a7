package heapscope.log;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import heapscope.analysis.LeakAnalysis;
import heapscope.source.InputException;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;
import heapscope.trace.Warning;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes given as a serial log are decoded and analysed, or refused with one line naming the file; every warning
 * names a line of the input. Any other exception, a hang or an allocation beyond the test heap is a finding. A
 * normal test run replays the inputs under src/test/resources/heapscope/log/LogDecoderFuzzTestInputs;
 * {@code scripts/fuzz} searches for new ones.
 */
class LogDecoderFuzzTest {
    private static final String NAME = "capture.log";

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"====== Heap Trace: ", " records (", " capacity) ======", " bytes (@ 0x", ", Internal) ",
            ",    PSRAM) ", " allocated CPU ", " ccount 0x", " caller 0x", " freed", "====== Heap Trace Summary ======",
            "Mode: Heap Trace Leaks", "Mode: Heap Trace All", " 'leaked' in trace (", "Heap summary for capabilities 0x",
            "  At 0x", " len ", " free ", " allocated ", " min_free ", "largest_free_block ", "CORRUPT HEAP: ",
            "Backtrace: 0x", "Guru Meditation Error: ", "--- LEAK #", "Address: 0x", "Size: ", "I (123) ", "[0;32m",
            "ESP-ROM:esp32s3-20210327", "free heap: ", "Free heap: "})
    void anyLogDecodesOrFailsWithItsName(byte[] bytes) throws IOException {
        long lines = 1 + bytes.length; // at most one line per byte, and the last one unterminated
        try (EventReader r = new LogDecoder(new ByteArrayInputStream(bytes), NAME, new Recording(), false)) {
            LeakAnalysis.run(r, null);
            for (Warning w : r.recording().warnings()) {
                assertThat(w.source()).isEqualTo(NAME);
                assertThat(w.position()).as(w.format()).isBetween(w.unit() == Warning.Unit.NONE ? -1L : 1L, lines);
            }
        } catch (InputException e) {
            assertThat(e.getMessage()).startsWith(NAME + ": ").doesNotContain("\n");
        }
    }
}
