package heapscope.monitor;

import heapscope.Fixtures;
import heapscope.analysis.LeakAnalysis;
import heapscope.capture.Captures;
import heapscope.analysis.LeakReport;
import heapscope.symbols.ElfDigest;
import heapscope.symbols.FrameTable;
import heapscope.sim.ConnectionScenario;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor on a replayed serial log of the example firmware: every line passes through in order with its
 * decoded callers, the saved capture is byte-identical to what was received, and the final report is the one
 * `analyze` gives for the saved file.
 */
class MonitorTest {
    private static final Path EXAMPLE = Fixtures.example("connection");

    @TempDir
    Path dir;

    /** Delivers its bytes in small, odd-sized pieces, as a UART does. */
    private static InputStream trickle(byte[] bytes) {
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1 + at % 37), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    @Test
    void registersHoldingDataPointersAreNotDecodedAsCode() throws IOException {
        Symbolizer symbolizer = Symbolizer.open(EXAMPLE.resolve("app.elf"));
        AddressAnnotator annotator = new AddressAnnotator(FrameTable.of(symbolizer, null), null);
        // 0x4ff00228 is the example's 'arena' (.bss), 0x400000ba an instruction of callback_init
        assertThat(annotator.annotate("MEPC    : 0x400000ba  RA      : 0x4000010c  GP      : 0x4ff00228"))
                .hasSize(2).allMatch(l -> l.startsWith("--- 0x4000")).noneMatch(l -> l.contains("arena"));
    }

    @Test
    void passThroughDecodingSaveAndFinalReport() throws IOException {
        StringWriter log = new StringWriter();
        ConnectionScenario.Truth truth = ConnectionScenario.writeLog(log, 4, false,
                ConnectionScenario.Stacks.fromCallSites(Files.readAllLines(EXAMPLE.resolve("callsites.txt"))));
        String received = "\u001b[0;32mI (10) boot: colours on the wire\u001b[0m\r\n" + "I (20) app_init: ELF file SHA256:  0123456789abcdef\n" + log;
        byte[] bytes = received.getBytes(StandardCharsets.UTF_8);
        Symbolizer symbolizer = Symbolizer.open(EXAMPLE.resolve("app.elf"));
        AddressAnnotator annotator = new AddressAnnotator(FrameTable.of(symbolizer, null), ElfDigest.sha256(EXAMPLE.resolve("app.elf")));
        StringWriter shown = new StringWriter();
        Path saved = dir.resolve("capture.log");
        LeakReport report;
        try (CaptureFile capture = new CaptureFile(saved)) {
            report = new MonitorSession(new PrintWriter(shown), false, annotator, capture, () -> new LeakAnalysis(null), Captures.liveLog("test"))
                    .run(trickle(bytes));
        }
        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        List<String> times = Files.readAllLines(Path.of(saved + ".times"));
        assertThat(times).isNotEmpty().allMatch(l -> l.matches("\\d+ \\d{13}"));

        List<String> lines = shown.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("I (10) boot: colours on the wire"); // colours stripped when not a terminal
        assertThat(lines.get(2)).startsWith("--- warning: the device runs another firmware (ELF SHA256 0123456789abcdef)");
        List<String> deviceLines = received.lines().toList();
        List<String> passed = lines.stream().filter(l -> !l.startsWith("--- ")).toList();
        assertThat(passed).hasSize(deviceLines.size());
        int record = lines.indexOf(lines.stream().filter(l -> l.contains(" bytes (@ 0x4ff40000")).findFirst().orElseThrow());
        assertThat(lines.get(record + 1)).startsWith("--- 0x").contains(": malloc at /project/components/heap/heap_caps.c:");
        assertThat(lines.get(record + 2)).contains(": app_init at /project/main/app_main.c:");

        assertThat(report.leakedBytes()).isEqualTo(truth.leakedBytes());
        assertThat(report.snapshots()).hasSize(4);
        assertThat(report.recording().chip()).isEqualTo("esp32p4");
    }

    @Test
    void timestampsComeBeforeLinesWhenOnAndTheCaptureStaysAsReceived() throws IOException {
        byte[] bytes = "I (10) boot: one\nI (20) boot: two\n".getBytes(StandardCharsets.UTF_8);
        StringWriter shown = new StringWriter();
        Path saved = dir.resolve("capture.log");
        try (CaptureFile capture = new CaptureFile(saved)) {
            MonitorSession session = new MonitorSession(new PrintWriter(shown), false, null, capture, () -> new LeakAnalysis(null),
                    Captures.liveLog("test"));
            session.timestamps(true);
            session.run(new ByteArrayInputStream(bytes));
            assertThat(session.toggleTimestamps()).isFalse();
        }
        assertThat(shown.toString().lines().toList()).hasSize(2)
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d I \\(\\d0\\) boot: (one|two)"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
    }
}
