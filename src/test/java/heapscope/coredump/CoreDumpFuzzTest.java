package heapscope.coredump;

import com.code_intelligence.jazzer.junit.FuzzTest;
import heapscope.Fixtures;
import heapscope.coredump.heap.CrashHeap;
import heapscope.report.CoreDumpReport;
import heapscope.symbols.Symbolizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes given as a core dump (raw, base64 or a log) decode, unwind against the real ESP32-C3 ELF, have their heap
 * walked and print, or end in a {@link CoreDumpException} whose offset lies inside the decoded bytes; any other
 * exception, a hang or an allocation beyond the test heap is a finding. A normal test run replays the inputs under
 * src/test/resources/heapscope/coredump/CoreDumpFuzzTestInputs (the real dumps among them, and one with a heap from
 * DramDumps); {@code scripts/fuzz} searches for new ones.
 */
class CoreDumpFuzzTest {
    private static final Path NAME = Path.of("fuzz.b64");
    private final Symbolizer elf;

    CoreDumpFuzzTest() {
        try {
            elf = Symbolizer.open(Fixtures.corpus("esp-coredump/esp32c3.elf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anyDumpDecodesOrFailsWithItsOffset(byte[] bytes) {
        try {
            CoreDumpText.Found found = CoreDumpText.find(NAME, bytes);
            try {
                CoreDump dump = CoreDumpDecoder.decode(NAME, found.bytes());
                CrashAnalysis.Result r = CrashAnalysis.analyze(dump, elf, TcbLayouts.of(elf));
                for (CrashAnalysis.Task t : r.tasks()) {
                    assertThat(t.backtrace().frames()).hasSizeBetween(1, Backtrace.MAX_FRAMES);
                }
                CoreDumpReport report = new CoreDumpReport(List.of(elf));
                CrashHeap heap = CrashHeap.read(dump.memory(), elf, report::callerFrames, function -> false, r.otherFirmware(), -1, -1);
                report.write(r, new CoreDumpReport.HeapParts(heap, null, 0), new PrintWriter(new StringWriter()));
            } catch (CoreDumpException e) {
                assertThat(e.offset()).as(e.getMessage()).isBetween(0L, (long) found.bytes().length);
            }
        } catch (CoreDumpException e) {
            assertThat(e.offset()).as(e.getMessage()).isBetween(0L, (long) bytes.length);
        }
    }
}
