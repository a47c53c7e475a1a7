package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.sysview.SvWriter;
import heapscope.sysview.UartStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * heapscope capture against a device that behaves as ESP-IDF v6 firmware does on the UART and USB-Serial-JTAG links
 * ({@link TraceDevice}): on a socat pty pair, as the ACM port appears, and on a TCP socket, as a serial-over-TCP bridge
 * serves one. The leak set of the capture is the one analyze finds in what the device sent, and the file it writes
 * carries OpenOCD's header, holds the stream up to the device's TRACE_STOP and no further, and reads back the same.
 */
@Timeout(120)
class CaptureEndToEndTest {
    private static final Path[] HEAP_LOG = {Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"), Fixtures.corpus("esp-idf-sysview/heap_log1.svdat")};

    @TempDir
    Path dir;

    @Test
    void aUsbSerialJtagDeviceOnAPtyGivesTheLeaksOfTheRecording() throws Exception {
        UartStreams.Stream uart = UartStreams.of(HEAP_LOG);
        Path trace = dir.resolve("trace.svdat");
        CliRun run;
        try (PtyPair pair = PtyPair.in(dir);
             InputStream fromHost = Files.newInputStream(pair.device());
             OutputStream toHost = Files.newOutputStream(pair.device())) {
            CompletableFuture<Void> device = new TraceDevice(uart.bytes(), 64, 1).serve(fromHost, toHost);
            run = CliRun.of("capture", pair.host().toString(), "-o", trace.toString(), "--duration", "3",
                    "--idle", "0.5", "--format", "json", "--status", "0.2", "--color", "never");
            device.get(10, TimeUnit.SECONDS);
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.err()).contains("received").contains("events").contains("no losses").contains("traced live");
            CliRun original = CliRun.of(cat("analyze", HEAP_LOG, "--format", "json"));
            assertThat(leaks(run.out())).isNotEmpty().isEqualTo(leaks(original.out()));
        }
        byte[] saved = Files.readAllBytes(trace);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(SvWriter.rawLinkHeader());
        int afterStart = SvWriter.SYNC_LENGTH + 2; // the sync, TRACE_START and its zero delta, as the device sends them
        expected.write(uart.bytes(), 0, afterStart);
        expected.write(SvWriter.heapModuleDescription(512));
        expected.write(uart.bytes(), afterStart, uart.bytes().length - afterStart);
        expected.write(TraceDevice.TRACE_STOP);
        assertThat(new String(saved, 0, 80, StandardCharsets.ISO_8859_1)).startsWith(";\n; Version     SEGGER SystemViewer V2.42\n; Author      Espressif Inc\n");
        assertThat(saved).as("the header, the stream with its heap module described, cut after TRACE_STOP (the banner after it dropped)")
                .isEqualTo(expected.toByteArray());
        CliRun again = CliRun.of("analyze", trace.toString(), "--format", "json");
        assertThat(leaks(again.out())).isEqualTo(leaks(CliRun.of(cat("analyze", HEAP_LOG, "--format", "json")).out()));
        JsonNode read = new ObjectMapper().readTree(again.out());
        assertThat(read.get("conditions")).as("complete: nothing lost, the module description read as a packet").isEmpty();
        assertThat(read.get("leaks").get(0).get("core").toString()).as("core unknown on a raw link, as live").isEqualTo(
                new ObjectMapper().readTree(run.out()).get("leaks").get(0).get("core").toString());
        CliRun refused = CliRun.of("capture", "tcp://127.0.0.1:1", "-o", trace.toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("exists");
    }

    @Test
    void aUartDeviceBehindTcpThatLostBytesGivesTheLeaksOfWhatItSent() throws Exception {
        byte[] whole = UartStreams.of(HEAP_LOG).bytes();
        byte[] sent = withGaps(whole, 5, 2);
        Path sentFile = UartStreams.write(dir.resolve("sent.bin"), sent);
        Path trace = dir.resolve("uart.svdat");
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> device = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    new TraceDevice(sent, 128, 2).serve(s.getInputStream(), s.getOutputStream()).get(30, TimeUnit.SECONDS);
                    Thread.sleep(1000); // the board stays connected after its banner, as a bridge does
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, TraceDevice::thread);
            CliRun run = CliRun.of("capture", "tcp://127.0.0.1:" + server.getLocalPort(), "-o", trace.toString(),
                    "--duration", "3", "--idle", "0.5", "--format", "json", "--status", "0");
            device.get(30, TimeUnit.SECONDS);
            assertThat(run.status()).as(run.err()).isZero();
            CliRun direct = CliRun.of("analyze", sentFile.toString(), "--format", "json");
            assertThat(leaks(run.out())).isNotEmpty().isEqualTo(leaks(direct.out()));
            assertThat(new ObjectMapper().readTree(run.out()).get("conditions").toString()).contains("lost_bytes");
        }
    }

    /**
     * In its own process, as a developer runs it: SIGUSR1 prints the report so far while the capture goes on, and
     * Ctrl-C (SIGINT) sends the device the stop command, whose answer ends the file, then the report prints and the
     * status is 130.
     */
    @Test
    void signalsPrintTheReportSoFarAndStopTheDevice() throws Exception {
        byte[] stream = UartStreams.of(HEAP_LOG).bytes();
        Path trace = dir.resolve("signals.svdat");
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> device = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    new TraceDevice(stream, 64, 3).serve(s.getInputStream(), s.getOutputStream()).get(50, TimeUnit.SECONDS);
                    Thread.sleep(2000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, TraceDevice::thread);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process capture = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "heapscope.cli.Main",
                    "capture", "tcp://127.0.0.1:" + server.getLocalPort(), "-o", trace.toString(), "--status", "0", "--color", "never"))
                    .redirectErrorStream(true).start();
            StringBuffer seen = new StringBuffer();
            Thread reader = new Thread(() -> {
                try {
                    byte[] b = new byte[4096];
                    for (int n = capture.getInputStream().read(b); n > 0; n = capture.getInputStream().read(b)) {
                        seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
            });
            reader.start();
            waitFor(seen, "--- heapscope capture on");
            Thread.sleep(1500); // the whole recording arrives
            kill("USR1", capture.pid());
            waitFor(seen, "leaked bytes in");
            assertThat(capture.isAlive()).as("the report so far does not stop the capture").isTrue();
            int before = seen.length();
            kill("INT", capture.pid());
            assertThat(capture.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
            device.get(30, TimeUnit.SECONDS); // it saw the stop command
            assertThat(capture.exitValue()).as(seen.toString()).isEqualTo(130);
            assertThat(seen.substring(before)).contains("of trace saved, cut after the last TRACE_STOP").contains("Found 17706 leaked bytes in 45 blocks.");
        }
        byte[] saved = Files.readAllBytes(trace);
        assertThat(Arrays.copyOfRange(saved, saved.length - 2, saved.length)).isEqualTo(TraceDevice.TRACE_STOP);
    }

    private static void waitFor(StringBuffer seen, String text) throws InterruptedException {
        for (int i = 0; i < 200 && seen.indexOf(text) < 0; i++) {
            Thread.sleep(100);
        }
        assertThat(seen.toString()).contains(text);
    }

    private static void kill(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    /** The stream with N runs of bytes dropped, as the device's ring buffer drops its oldest data. */
    private static byte[] withGaps(byte[] b, int n, long seed) {
        Random random = new Random(seed);
        TreeSet<Integer> starts = new TreeSet<>();
        while (starts.size() < n) {
            starts.add(1000 + random.nextInt(b.length - 2000));
        }
        boolean[] cut = new boolean[b.length];
        for (int s : starts) {
            Arrays.fill(cut, s, s + 1 + random.nextInt(200), true);
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        for (int i = 0; i < b.length; i++) {
            if (!cut[i]) {
                kept.write(b[i]);
            }
        }
        return kept.toByteArray();
    }

    private static String[] cat(String command, Path[] files, String... rest) {
        List<String> args = new ArrayList<>(List.of(command));
        Arrays.stream(files).map(Path::toString).forEach(args::add);
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    /** Every leaked block of a JSON report: address, size and callers. */
    static Set<String> leaks(String json) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode leak : new ObjectMapper().readTree(json).get("leaks")) {
            out.add(leak.get("address").asText() + " " + leak.get("size").asText() + " " + leak.get("callers"));
        }
        return out;
    }
}
