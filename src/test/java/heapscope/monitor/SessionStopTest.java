package heapscope.monitor;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.capture.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C ends a monitor session from another thread while the device goes on sending: what arrives after the
 * session stopped is shown but no longer analysed, and it is no error ("Pipe closed" after the report).
 */
@Timeout(60)
class SessionStopTest {
    @Test
    void bytesArrivingWhileTheSessionStopsAreNoError() throws Exception {
        CountDownLatch analysing = new CountDownLatch(1);
        StringWriter shown = new StringWriter();
        MonitorSession session = new MonitorSession(new PrintWriter(shown), false, null, null, () -> {
            try {
                analysing.await(); // the analysis is still busy when the stop comes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new LeakAnalysis(null);
        }, Captures.liveLog("device"));
        PipedInputStream device = new PipedInputStream();
        OutputStream sends = new PipedOutputStream(device);
        CompletableFuture<LeakReport> running = new CompletableFuture<>();
        new Thread(() -> { // as the monitor's main thread does (the analysis runs in the common pool)
            try {
                running.complete(session.run(device));
            } catch (IOException | RuntimeException e) {
                running.completeExceptionally(e);
            }
        }).start();
        sends.write("I (1) app: before the stop\n".getBytes(StandardCharsets.UTF_8));
        sends.flush();
        while (!shown.toString().contains("before the stop")) { // the session runs
            Thread.onSpinWait();
        }
        Thread stop = new Thread(() -> {
            try {
                session.finish();
            } catch (IOException ignored) {
                // the test looks at the session's own thread
            }
        });
        stop.start();
        while (stop.getState() != Thread.State.WAITING) { // stopped reading: waiting for the analysis to finish
            Thread.onSpinWait();
        }
        sends.write("I (2) app: while it stops\n".getBytes(StandardCharsets.UTF_8));
        sends.flush();
        analysing.countDown();
        stop.join();
        sends.close();
        LeakReport report = running.join(); // no exception
        assertThat(report).isSameAs(session.finish());
        assertThat(shown.toString()).contains("before the stop");
    }
}
