package heapscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A capture saved by the monitor plays back with its recorded timing, and the monitor receives it unchanged. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    @Test
    void playsTheSavedChunksWithTheirTimingToAMonitor() throws Exception {
        Path capture = Files.writeString(dir.resolve("cap.log"), "I (1) a: one\nI (2) a: two\nfree heap: 1234\n");
        // three chunks, 300 ms apart
        Files.writeString(Path.of(capture + ".times"), "0 1700000000000\n13 1700000000300\n26 1700000000600\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        int p = port;
        long t0 = System.nanoTime();
        // not through CliRun: it holds a lock while a command runs, and the monitor below needs it
        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> Main.run("replay", capture.toString(), "--listen", Integer.toString(p)));
        Thread.sleep(500);
        Path saved = dir.resolve("again.log");
        CliRun monitor = CliRun.of("monitor", "tcp://127.0.0.1:" + port, "--save", saved.toString(), "--color", "never");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(replay.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(monitor.status()).as(monitor.err()).isZero();
        assertThat(Files.readString(saved, StandardCharsets.UTF_8)).isEqualTo(Files.readString(capture));
        assertThat(ms).as("the recorded 600 ms were kept").isGreaterThanOrEqualTo(600);
        assertThat(monitor.out()).contains("I (2) a: two").contains("Free heap (1 reading;");
        CliRun bad = CliRun.of("replay", capture.toString());
        assertThat(bad.status()).isEqualTo(2);
    }
}
