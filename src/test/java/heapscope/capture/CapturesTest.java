package heapscope.capture;

import heapscope.Fixtures;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.trace.EventReader;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
