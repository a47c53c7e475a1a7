package heapscope.capture;

import heapscope.Fixtures;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.sysview.SvWriter;
import heapscope.trace.EventReader;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The front door tells every shipped capture's format from its first bytes, for files and for a live stream alike. */
class CapturesTest {
    @Test
    void systemViewTracesAndSerialLogsOfTheCorpusAreToldApart() throws Exception {
        for (String trace : List.of("heap_log0.svdat", "heap_log1.svdat")) {
            assertThat(formatOf(Fixtures.corpus("esp-idf-sysview/" + trace))).isInstanceOf(SystemViewFormat.class);
        }
        try (Stream<Path> logs = Files.list(Fixtures.corpus("serial-logs"))) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".txt")).toList()) {
                assertThat(formatOf(log)).as(log.toString()).isInstanceOf(SerialLogFormat.class);
            }
        }
    }

    @Test
    void aTwoCoreTraceOpensAsOneRecording() throws Exception {
        try (EventReader r = Captures.open(List.of(Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString(),
                Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString()), CaptureSettings.heap())) {
            while (r.next() != null) {
                // read to the end: the recording is complete then
            }
            assertThat(r.recording().cores()).isEqualTo(2);
            assertThat(r.recording().format()).isEqualTo("SystemView, one file per core");
        }
    }

    @Test
    void aLiveStreamKeepsItsFirstBytesForTheDecoder() throws Exception {
        byte[] log = Files.readAllBytes(Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt"));
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(log));
        Captures.Live live = Captures.live(in, InputSpec.parse("-"), Captures.monitor(false));
        assertThat(live.format().text()).isTrue();
        assertThat(in.readAllBytes()).isEqualTo(log);
    }

    @Test
    void aRawStreamIsToldFromItsSyncOrFromARunOfPacketsInsideItsFirstKilobytes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SvWriter w = SvWriter.raw(bytes, 0, SvWriter.UART_MESSAGE_SIZE);
        w.start();
        w.traceStart(0, 0);
        w.sysdesc(0, "N=FreeRTOS Application,D=esp32,C=core0,O=FreeRTOS", 10);
        for (int i = 0; i < 100; i++) {
            w.heapAlloc(0, 512, 0x3FFB0000L + 32L * i, 16, new long[] {0x400D1234L, 0x400D5678L}, 2, 4, 100);
        }
        byte[] raw = bytes.toByteArray();
        for (int from : new int[] {0, 7, 40, 333}) { // the sync, inside the system description, inside a heap event
            byte[] stream = Arrays.copyOfRange(raw, from, raw.length);
            BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(stream));
            Captures.Live live = Captures.live(in, InputSpec.parse("-"), Captures.monitor(false));
            assertThat(live.format()).as("from byte %d", from).isInstanceOf(RawSystemViewFormat.class);
            assertThat(in.readAllBytes()).isEqualTo(stream);
        }
    }

    @Test
    void aSerialLogIsTheOnlyInputAndAnEmptyOneIsUnusable() throws Exception {
        Path log = Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt");
        assertThatThrownBy(() -> Captures.open(List.of(log.toString(), log.toString()), CaptureSettings.heap()))
                .isInstanceOf(InputException.class).hasMessageContaining("a serial log must be the only input");
        assertThatThrownBy(() -> Captures.format(new BufferedInputStream(new ByteArrayInputStream(new byte[0])), "empty.log"))
                .isInstanceOf(InputException.class).hasMessage("empty.log: empty input");
    }

    private static CaptureFormat formatOf(Path file) throws Exception {
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return Captures.format(in, file.toString());
        }
    }
}
