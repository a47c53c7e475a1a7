package heapscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C on a monitor whose device keeps the connection open: the process prints the report of what it
 * received before it exits, as a developer stopping `heapscope monitor` expects.
 */
@Timeout(60)
class MonitorInterruptTest {
    @Test
    void interruptPrintsTheReportOfWhatWasReceived() throws Exception {
        String dump = String.join("\n",
                "====== Heap Trace: 1 records (100 capacity) ======",
                "    64 bytes (@ 0x3ffb1000, Internal) allocated CPU 0 ccount 0x12345678 caller 0x400d1234:0x400d5678",
                "====== Heap Trace Summary ======",
                "Mode: Heap Trace Leaks",
                "64 bytes 'leaked' in trace (1 allocations)",
                "records: 1 (100 capacity, 1 high water mark)",
                "total allocations: 1",
                "total frees: 0",
                "================================",
                "");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread device = new Thread(() -> {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    out.write(dump.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(60_000); // and keeps the line open, as a running device does
                } catch (Exception ignored) {
                    // ends with the test
                }
            });
            device.setDaemon(true);
            device.start();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process monitor = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "heapscope.cli.Main",
                    "monitor", "tcp://127.0.0.1:" + server.getLocalPort(), "--color", "never")).redirectErrorStream(true).start();
            StringBuilder seen = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    byte[] b = new byte[4096];
                    for (int n = monitor.getInputStream().read(b); n > 0; n = monitor.getInputStream().read(b)) {
                        synchronized (seen) {
                            seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
            });
            reader.start();
            for (int i = 0; i < 100; i++) {
                synchronized (seen) {
                    if (seen.toString().contains("================================")) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            // SIGUSR1: the report so far, and the monitor goes on
            new ProcessBuilder("kill", "-USR1", Long.toString(monitor.pid())).start().waitFor();
            Thread.sleep(1500);
            synchronized (seen) {
                assertThat(seen.toString()).contains("heapscope leak report");
            }
            assertThat(monitor.isAlive()).isTrue();
            new ProcessBuilder("kill", "-INT", Long.toString(monitor.pid())).start().waitFor();
            assertThat(monitor.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
            String out;
            synchronized (seen) {
                out = seen.toString();
            }
            assertThat(out).contains("    64 bytes (@ 0x3ffb1000").contains("Found 64 leaked bytes in 1 block.");
            assertThat(out.split("heapscope leak report", -1)).as("one report on USR1, one at the end").hasSize(3);
        }
    }
}
