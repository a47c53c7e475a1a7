package heapscope.cli;

import heapscope.Fixtures;
import heapscope.sysview.UartStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ESP-IDF's own reader, {@code tools/esp_app_trace/sysviewtrace_proc.py}, reads what heapscope capture writes and
 * finds the leaks heapscope finds. Runs where an ESP-IDF tree is given ({@code IDF_PATH}) and python3 has pyelftools
 * (Debian: python3-pyelftools). ESP-IDF is not a package a machine can install, so the test is in the {@code esp-idf}
 * group, left out of the default run: {@code IDF_PATH=... ./build test -Dheapscope.excludedGroups=jazzer
 * -Dtest=EspIdfReadsCaptureTest}; run so, it fails when either is missing.
 */
@Tag("esp-idf")
@Timeout(120)
class EspIdfReadsCaptureTest {
    private static final Path[] HEAP_LOG = {Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"), Fixtures.corpus("esp-idf-sysview/heap_log1.svdat")};

    @TempDir
    Path dir;

    @Test
    void sysviewtraceProcReadsTheCaptureAndFindsTheSameLeaks() throws Exception {
        String idf = System.getenv("IDF_PATH");
        Path script = idf == null ? null : Path.of(idf, "tools", "esp_app_trace", "sysviewtrace_proc.py");
        assertThat(script != null && Files.isRegularFile(script)).as("IDF_PATH names no ESP-IDF tree with sysviewtrace_proc.py").isTrue();
        assertThat(run(List.of("python3", "-c", "import elftools")).status()).as("python3 with pyelftools is not installed").isZero();
        Path trace = dir.resolve("trace.svdat");
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> device = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    new TraceDevice(UartStreams.of(HEAP_LOG).bytes(), 64, 4).serve(s.getInputStream(), s.getOutputStream()).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, TraceDevice::thread);
            CliRun capture = CliRun.of("capture", "tcp://127.0.0.1:" + server.getLocalPort(), "-o", trace.toString(),
                    "--duration", "2", "--idle", "0.5", "--status", "0");
            device.get(30, TimeUnit.SECONDS);
            assertThat(capture.status()).as(capture.err()).isZero();
            Run espIdf = run(List.of("python3", script.toString(), "-p", "-b",
                    Fixtures.corpus("esp-idf-sysview/sysview_tracing_heap_log.elf").toString(), "file://" + trace));
            assertThat(espIdf.status()).as(espIdf.out()).isZero();
            String found = capture.out().lines().filter(l -> l.startsWith("Found ")).findFirst().orElseThrow();
            assertThat(espIdf.out()).contains(found.substring(0, found.indexOf('.') + 1));
        }
    }

    private record Run(int status, String out) {
    }

    private static Run run(List<String> command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException missing) {
            return new Run(127, missing.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
