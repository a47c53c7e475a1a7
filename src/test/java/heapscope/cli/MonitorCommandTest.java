package heapscope.cli;

import heapscope.Fixtures;
import heapscope.TinyTrace;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `heapscope monitor` from standard input and from a serial-over-TCP server, with its final report and budget. */
class MonitorCommandTest {
    @TempDir
    Path dir;

    private static String log() throws Exception {
        StringWriter w = new StringWriter();
        ConnectionScenario.writeLog(w, 3, false, ConnectionScenario.Stacks.synthetic());
        return w.toString();
    }

    @Test
    void fromStandardInputWithBudget() throws Exception {
        String log = log();
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
            CliRun run = CliRun.of("monitor", "-", "--max-leaked-bytes", "1000", "--color", "never", "--save", dir.resolve("cap.log").toString());
            assertThat(run.status()).isEqualTo(3);
            assertThat(run.out()).startsWith("ESP-ROM:esp32p4").contains("heapscope leak report").contains("Heap listings");
            assertThat(run.err()).contains("budget exceeded: max-leaked-bytes");
        } finally {
            System.setIn(saved);
        }
        CliRun again = CliRun.of("analyze", dir.resolve("cap.log").toString(), "--format", "json");
        assertThat(again.status()).isZero();
        assertThat(again.out()).contains("\"leaked_bytes\" : " + (4608 + 3 * 8628));
    }

    @Test
    void withTheElfTheFinalReportHasTheAllocationSitesAsAnalyzeDoes() throws Exception {
        Path example = Fixtures.example("connection");
        StringWriter w = new StringWriter();
        ConnectionScenario.writeLog(w, 3, false, ConnectionScenario.Stacks.fromCallSites(
                Files.readAllLines(example.resolve("callsites.txt"))));
        Path log = Files.writeString(dir.resolve("example.log"), w.toString());
        String elf = example.resolve("app.elf").toString();
        InputStream saved = System.in;
        CliRun run;
        try {
            System.setIn(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)));
            run = CliRun.of("monitor", "-", "--elf", elf, "--color", "never");
        } finally {
            System.setIn(saved);
        }
        String analyze = CliRun.of("analyze", log.toString(), "--elf", elf, "--color", "never").out();
        String sites = analyze.substring(analyze.indexOf("Leak breakdown by allocation site"));
        assertThat(run.out()).contains("known leak: FreeRTOS mutex never deleted")
                .contains(sites.substring(0, sites.indexOf("\n\n")));
    }

    @Test
    void aSystemViewStreamsCallersAreDecodedInlineToo() {
        CliRun run = CliRun.of("monitor", Fixtures.example("connection/cpu0.svdat").toString(), "--elf",
                Fixtures.example("connection/app.elf").toString(), "--color", "never");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("alloc 4096 bytes @ 0x4ff40000 by 0x40000238:0x4000002c:0x400000a2:0x400000b0\n"
                + "--- 0x40000238: malloc at /project/components/heap/heap_caps.c:26\n"
                + "--- 0x4000002c: app_init at /project/main/app_main.c:16\n");
    }

    @Test
    void fromATcpSerialServer() throws Exception {
        byte[] bytes = log().getBytes(StandardCharsets.UTF_8);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    for (int i = 0; i < bytes.length; i += 512) {
                        out.write(bytes, i, Math.min(512, bytes.length - i));
                        out.flush();
                    }
                } catch (Exception ignored) {
                    // the test fails on its side if the stream is incomplete
                }
            });
            t.setDaemon(true);
            t.start();
            CliRun run = CliRun.of("monitor", "tcp://127.0.0.1:" + server.getLocalPort(), "--color", "never");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("webrtc: New connection 3").contains("Found " + (4608 + 3 * 8628) + " leaked bytes");
        }
    }

    @Test
    void followsOpenOcdsLiveSystemViewStream() throws Exception {
        TinyTrace t = new TinyTrace().task(0x100, "main");
        t.w.heapAlloc(0, 512, 0x3FFB1000L, 48, new long[] {0x400D1234L}, 1, 4, 10);
        t.w.heapAlloc(0, 512, 0x3FFB1040L, 16, new long[] {0x400D1234L}, 1, 4, 10);
        t.w.heapFree(0, 512, 0x3FFB1040L, new long[] {0x400D2222L}, 1, 4, 10);
        t.w.print(0, "I (5) app: hello from the trace\n", 10);
        byte[] bytes = Files.readAllBytes(t.write(dir.resolve("live.svdat")));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread openocd = new Thread(() -> {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                } catch (Exception ignored) {
                    // the test fails on its side
                }
            });
            openocd.setDaemon(true);
            openocd.start();
            Path saved = dir.resolve("saved.svdat");
            CliRun run = CliRun.of("monitor", "tcp://127.0.0.1:" + server.getLocalPort(), "--color", "never", "--save", saved.toString());
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
            assertThat(run.out()).contains("task \"main\": alloc 48 bytes @ 0x3ffb1000").contains(": free @ 0x3ffb1040")
                    .contains("log I (5) app: hello from the trace").contains("Found 48 leaked bytes in 1 block.");
        }
    }

    @Test
    void aSessionWithoutHeapMessagesEndsQuietly() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("I (1) app: hello\nI (2) app: bye\n".getBytes(StandardCharsets.UTF_8)));
            CliRun run = CliRun.of("monitor", "-", "--color", "never", "--status", "0");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("I (1) app: hello\nI (2) app: bye\n").contains("No allocations in this capture");
        } finally {
            System.setIn(saved);
        }
    }

    /** ESPBAUD as idf.py monitor takes it; a bad value is named as the environment's, not as a bad --baud. */
    @Test
    void theSpeedFromEspbaudIsReadOrRefusedByItsName() {
        assertThat(MonitorCommand.espBaud(null)).isEqualTo(115_200);
        assertThat(MonitorCommand.espBaud(" 921600 ")).isEqualTo(921_600);
        assertThatThrownBy(() -> MonitorCommand.espBaud("fast\u001b[2J"))
                .isInstanceOf(heapscope.source.InputException.class)
                .hasMessage("ESPBAUD='fast\\x1b[2J' in the environment is not a serial port speed (50..10000000): set a number, unset it, or give --baud");
    }
}
