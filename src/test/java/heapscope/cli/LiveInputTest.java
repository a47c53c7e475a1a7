package heapscope.cli;

import heapscope.Fixtures;
import heapscope.source.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live inputs end like files, whatever ends them: a connection lost mid-stream, an idle timeout, Ctrl-C; and
 * heapscope either connects to the stream's server (tcp://, ser2net) or waits for the peer (tcp-listen://, OpenOCD).
 * The peers are scripted ({@link Peer}) and stream Espressif's own recording.
 */
@Timeout(120)
class LiveInputTest {
    private static final Path CORE0 = Fixtures.corpus("esp-idf-sysview/heap_log0.svdat");
    private static final Path CORE1 = Fixtures.corpus("esp-idf-sysview/heap_log1.svdat");

    @TempDir
    Path dir;

    private static String found(String report) {
        return report.lines().filter(l -> l.startsWith("Found ")).findFirst().orElse("no headline in:\n" + report);
    }

    @Test
    void aConnectionResetMidStreamKeepsWhatCameAndSaysWhere() throws Exception {
        byte[] head = Arrays.copyOf(Files.readAllBytes(CORE0), 6000);
        Path cut = Files.write(dir.resolve("cut.svdat"), head);
        CliRun file = CliRun.of("analyze", cut.toString(), "--color", "never");
        for (String format : List.of("text", "json")) {
            try (Peer server = Peer.serving(head, Peer.End.RESET)) {
                String input = "tcp://127.0.0.1:" + server.port();
                CliRun run = CliRun.of("analyze", input, "--color", "never", "--format", format);
                assertThat(run.status()).as(run.err()).isZero();
                if (format.equals("text")) {
                    assertThat(found(run.out())).isEqualTo(found(file.out())); // every event received is in the report
                    assertThat(run.out()).contains("Incomplete: the connection to " + input + " was lost at byte 6000 (")
                            .contains(input + ": byte 6000: connection lost (");
                } else {
                    assertThat(run.out()).contains("\"complete\" : false").contains("\"position\" : 6000")
                            .contains("\"message\" : \"connection lost (").contains("\"kind\" : \"damaged\"");
                }
            }
        }
    }

    @Test
    void aLogStreamResetMidStreamKeepsItsDumps() throws Exception {
        Path log = Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt");
        byte[] bytes = Files.readAllBytes(log);
        CliRun file = CliRun.of("events", log.toString());
        try (Peer server = Peer.serving(bytes, Peer.End.RESET)) {
            CliRun run = CliRun.of("events", "tcp://127.0.0.1:" + server.port());
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(file.out()).contains("alloc "); // every event that came is listed
            assertThat(run.err()).contains("tcp://127.0.0.1:" + server.port() + ": byte " + bytes.length + ": connection lost (");
        }
    }

    @Test
    void anIdleTimeoutEndsASilentSourceWithTheReportOfWhatCame() throws Exception {
        byte[] bytes = Files.readAllBytes(CORE0);
        try (Peer server = Peer.serving(bytes, Peer.End.HOLD)) {
            String input = "tcp://127.0.0.1:" + server.port();
            CliRun run = CliRun.of("analyze", input, "--color", "never", "--idle-timeout", "300ms");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(found(run.out())).isEqualTo("Found 17760 leaked bytes in 46 blocks.  (17.3 KiB from 8 call stacks)");
            assertThat(run.err()).contains(input + ": no data for 300 ms (--idle-timeout); ending the capture at byte " + bytes.length);
            assertThat(run.out()).doesNotContain("connection").doesNotContain("decoding of"); // an end chosen, not damage
        }
        CliRun bad = CliRun.of("analyze", CORE0.toString(), "--idle-timeout", "soon");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("heapscope: --idle-timeout: 'soon' is not a duration (e.g. 5s, 500ms, 2m)\n");
    }

    @Test
    void listensForOpenOcdOnOnePortPerCore() throws Exception {
        int port0 = Peer.freePort();
        int port1 = Peer.freePort();
        // OpenOCD connects to every port before it streams: core 1's connection comes first here
        try (Peer core1 = Peer.connecting(port1, Files.readAllBytes(CORE1), Peer.End.CLOSE);
             Peer core0 = Peer.connecting(port0, Files.readAllBytes(CORE0), Peer.End.CLOSE)) {
            CliRun run = CliRun.of("analyze", "tcp-listen://127.0.0.1:" + port0, "tcp-listen://127.0.0.1:" + port1, "--color", "never");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(found(run.out())).startsWith("Found 17706 leaked bytes in 45 blocks."); // ESP-IDF's own figure
            assertThat(run.err()).contains("heapscope: tcp-listen://127.0.0.1:" + port0 + ": waiting for a connection on 127.0.0.1:" + port0)
                    .contains("heapscope: tcp-listen://127.0.0.1:" + port1 + ": connection from /127.0.0.1:");
        }
        CliRun noPort = CliRun.of("analyze", "tcp-listen://127.0.0.1");
        assertThat(noPort.status()).isEqualTo(2);
        assertThat(noPort.err()).isEqualTo("heapscope: tcp-listen://127.0.0.1: expected tcp-listen://:port or tcp-listen://host:port\n");
    }

    @Test
    void ctrlCOnALiveInputPrintsTheReportOfWhatCame() throws Exception {
        byte[] bytes = Files.readAllBytes(CORE0);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process analyze = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "heapscope.cli.Main",
                "analyze", "tcp-listen://127.0.0.1:0", "--color", "never")).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(analyze.getErrorStream(), StandardCharsets.UTF_8));
        Matcher waiting = Pattern.compile("waiting for a connection on 127\\.0\\.0\\.1:(\\d+)").matcher(err.readLine());
        assertThat(waiting.find()).isTrue();
        try (Peer openocd = Peer.connecting(Integer.parseInt(waiting.group(1)), bytes, Peer.End.HOLD)) {
            assertThat(err.readLine()).contains("connection from");
            openocd.awaitDelivered(); // the signal comes while the connection stays open, as when OpenOCD runs on
            new ProcessBuilder("kill", "-INT", Long.toString(analyze.pid())).start().waitFor();
            assertThat(analyze.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String out = new String(analyze.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(found(out)).isEqualTo("Found 17760 leaked bytes in 46 blocks.  (17.3 KiB from 8 call stacks)");
        assertThat(err.readLine()).endsWith(": stopped at byte " + bytes.length + "; the report covers what came before");
        assertThat(analyze.exitValue()).isEqualTo(130);
    }
}
