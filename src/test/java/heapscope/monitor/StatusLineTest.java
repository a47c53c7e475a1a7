package heapscope.monitor;

import heapscope.analysis.LeakAnalysis;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The live status the monitor shows: what the analysis thread publishes, and how it reads. */
class StatusLineTest {
    @Test
    void sessionPublishesTheStateOfTheAnalysis() throws Exception {
        String log = "I (1000) app: Free heap: 200000 bytes\nI (2000) app: Free heap: 150000 bytes\nI (3000) app: Free heap: 170000 bytes\n"
                + "CORRUPT HEAP: Bad tail at 0x3ffe04d1. Expected 0xbaad5678 got 0xcececece\n";
        MonitorSession session = new MonitorSession(new PrintWriter(new StringWriter()), false, null, null, () -> new LeakAnalysis(null), "t");
        session.run(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
        LeakAnalysis.Status s = session.status();
        assertThat(s.freeHeap()).isEqualTo(170000);
        assertThat(s.lowestFreeHeap()).isEqualTo(150000);
        assertThat(s.corruptions()).isEqualTo(1);
        assertThat(StatusLine.format(s)).isEqualTo("[heapscope] free heap 166 KiB (lowest 146 KiB) | traced live 0 B in 0 blocks | 1 corruptions, 0 crashes");
    }

    @Test
    void onATerminalTheLineRewritesItselfPipedItIsAPlainLine() {
        LeakAnalysis.Status s = new LeakAnalysis.Status(10, 2, 96, -1, -1, 3, 0, 0, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StatusLine line = new StatusLine(() -> s, new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 60_000)) {
            line.show();
            line.show(); // unchanged: not shown again
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r\u001b[2K[heapscope] traced live 96 B in 2 blocks | 3 heap listings\r\u001b[2K");
    }
}
