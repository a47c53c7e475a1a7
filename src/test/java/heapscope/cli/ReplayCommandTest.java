package heapscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** Nothing shows while no client comes: where to connect goes to standard error, the port chosen when it was 0. */
    @Test
    void listeningSaysWhereItWaits() throws Exception {
        Path capture = Files.writeString(dir.resolve("cap.log"), "I (1) a: one\nfree heap: 1234\n");
        String[] args = {"replay", capture.toString(), "--listen", "0", "--speed", "0"};
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> cl.execute(args));
        Pattern waiting = Pattern.compile("^heapscope replay: waiting for a client on (127\\.0\\.0\\.1):(\\d+) "
                + "\\(e\\.g\\. heapscope monitor tcp://127\\.0\\.0\\.1:\\2\\)\n$");
        Matcher where = waiting.matcher(err.toString());
        for (int i = 0; i < 200 && !where.matches(); i++) { // until the replay listens
            Thread.sleep(50);
            where = waiting.matcher(err.toString());
        }
        assertThat(where.matches()).as(err.toString()).isTrue();
        try (Socket client = new Socket(where.group(1), Integer.parseInt(where.group(2)))) {
            assertThat(client.getInputStream().readAllBytes()).isEqualTo(Files.readAllBytes(capture));
        }
        assertThat(replay.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aPortInUseIsOneLineNamingIt() throws Exception {
        Path capture = Files.writeString(dir.resolve("cap.log"), "free heap: 1234\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("replay", capture.toString(), "--listen", Integer.toString(taken.getLocalPort()));
            assertThat(run.status()).isEqualTo(2);
            assertThat(run.err().lines().toList()).singleElement().asString()
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).doesNotContain("Exception");
        }
    }
}
