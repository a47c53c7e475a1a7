package heapscope.monitor;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.Trend;
import heapscope.capture.Captures;
import heapscope.sim.SyntheticHeapSeries;
import heapscope.trace.HeapSample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The live status the monitor shows: what the analysis thread publishes, and how it reads. */
class StatusLineTest {
    @Test
    void sessionPublishesTheStateOfTheAnalysis() throws Exception {
        String log = "I (1000) app: Free heap: 200000 bytes\nI (2000) app: Free heap: 150000 bytes\nI (3000) app: Free heap: 170000 bytes\n"
                + "CORRUPT HEAP: Bad tail at 0x3ffe04d1. Expected 0xbaad5678 got 0xcececece\n";
        MonitorSession session = new MonitorSession(new PrintWriter(new StringWriter()), false, null, null, () -> new LeakAnalysis(null), Captures.liveLog("t"));
        session.run(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
        LeakAnalysis.Status s = session.status();
        assertThat(s.freeHeap()).isEqualTo(170000);
        assertThat(s.lowestFreeHeap()).isEqualTo(150000);
        assertThat(s.corruptions()).isEqualTo(1);
        assertThat(StatusLine.format(s, StatusLine::rawName)).isEqualTo("[heapscope] free heap 166 KiB (lowest 146 KiB) | traced live 0 B in 0 blocks | 1 corruptions, 0 crashes");
    }

    /** Readings that print the largest free block put its share of free heap in the line, and say when it fell. */
    @Test
    void theLineSaysWhenTheHeapFragments() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 12; i++) { // free heap steady, its largest block shrinking from 80 % to 25 %
            long largest = 80_000 - 5_000L * i;
            log.append("I (").append(1000 * (i + 1)).append(") app: Free heap: 100000 bytes, Largest free block: ")
                    .append(largest).append(" bytes\n");
        }
        MonitorSession session = new MonitorSession(new PrintWriter(new StringWriter()), false, null, null, () -> new LeakAnalysis(null), Captures.liveLog("t"));
        session.run(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(StatusLine.format(session.status(), StatusLine::rawName)).contains("free heap 97.7 KiB (lowest 97.7 KiB, stable; "
                + "largest block 25 % of it, fragmenting)");
    }

    @Test
    void onATerminalTheLineRewritesItselfPipedItIsAPlainLine() {
        LeakAnalysis.Status s = new LeakAnalysis.Status(10, 2, 96, -1, -1, 3, 0, 0, 0, null, 2, 1, List.of(new LeakAnalysis.TopStack(4, new long[] {0x400d1234L}, 96, 2)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StatusLine line = new StatusLine(() -> s, StatusLine::rawName, new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 60_000)) {
            line.show();
            line.show(); // unchanged: not shown again
        }
        String shown = "[heapscope] traced live 96 B in 2 blocks from 1 stack | top 0x400d1234 96 B | 3 heap listings (latest 2 blocks)";
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r" + shown + "\r" + " ".repeat(shown.length()) + "\r");
    }

    @Test
    void theLiveViewShowsTheLeakRateAndTheTopStacks() throws Exception {
        List<HeapSample> series = SyntheticHeapSeries.write(new SyntheticHeapSeries.Spec(
                SyntheticHeapSeries.Noise.JITTER, 1800, 3, 1024, 600, 3));
        StringWriter log = new StringWriter();
        SyntheticHeapSeries.writeMonitorLog(series, log);
        String dump = "====== Heap Trace: 2 records (10 capacity) ======\n"
                + "   100 bytes (@ 0x3ffb0000, Internal) allocated CPU 0 ccount 0x00000010 caller 0x400d0001:0x400d0002\n"
                + "    40 bytes (@ 0x3ffb0100, Internal) allocated CPU 0 ccount 0x00000020 caller 0x400d0003\n"
                + "====== Heap Trace Summary ======\nMode: Heap Trace Leaks\n140 bytes 'leaked' in trace (2 allocations)\n"
                + "records: 2 (10 capacity, 2 high water mark)\ntotal allocations: 2\ntotal frees: 0\n================================\n";
        MonitorSession session = new MonitorSession(new PrintWriter(new StringWriter()), false, null, null, () -> new LeakAnalysis(null), Captures.liveLog("t"));
        session.run(new ByteArrayInputStream((log + dump).getBytes(StandardCharsets.UTF_8)));
        LeakAnalysis.Status s = session.status();
        assertThat(s.trend().verdict()).isEqualTo(Trend.Verdict.LEAK);
        assertThat(s.lastListing()).isEqualTo(2);
        assertThat(s.top()).extracting(LeakAnalysis.TopStack::bytes).containsExactly(100L, 40L);
        assertThat(StatusLine.format(s, StatusLine::rawName)).contains(", leaking ").contains(" B/min)").contains("from 2 stacks")
                .contains("top 0x400d0001 100 B, 0x400d0003 40 B").contains("1 heap listing (latest 2 blocks)");
    }
}
