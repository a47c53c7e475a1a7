package heapscope.cli;

import heapscope.Fixtures;
import heapscope.source.Peer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What heapscope does when the reader of its output goes away, or would be a terminal for binary data. */
@Timeout(120)
class ClosedOutputTest {
    /** Standard output whose reader takes {@code limit} bytes and exits, as head does: later writes fail. */
    private static final class Head extends OutputStream {
        private final int limit;
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int refused;

        Head(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (taken.size() >= limit) {
                refused++;
                throw new IOException("Broken pipe");
            }
            taken.write(b, off, Math.min(len, limit - taken.size()));
        }
    }

    @Test
    void eventsStopAtABrokenPipeEvenWhileTheSourceStaysOpen() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            log.append("I (").append(i).append(") app: tick ").append(i).append('\n');
        }
        PrintStream saved = System.out;
        PrintStream savedErr = System.err;
        Head head = new Head(200);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // streamed live and held open: listing "to the end" would never end
        try (Peer device = Peer.serving(log.toString().getBytes(StandardCharsets.UTF_8), Peer.End.HOLD)) {
            System.setOut(new PrintStream(head, false, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run("events", "--all", "tcp://127.0.0.1:" + device.port());
            System.setOut(saved);
            System.setErr(savedErr);
            assertThat(status).isEqualTo(WatchedOutput.BROKEN_PIPE);
            assertThat(head.refused).as("writes after the reader left").isEqualTo(1);
            assertThat(head.taken.toString(StandardCharsets.UTF_8)).startsWith("[0.000000000] core 0: log tick 0\n");
            assertThat(err.toString(StandardCharsets.UTF_8).lines()).allMatch(l -> l.endsWith(": connected"));
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
    }

    @Test
    void pprofIsNotWrittenToATerminal() throws Exception {
        // util-linux script(1) runs the command on a pseudo-terminal and returns its exit status
        Assumptions.assumeTrue(runs("script", "--version"), "script(1) of util-linux is needed for a terminal");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", quoted(java), "-cp", quoted(System.getProperty("java.class.path")), "heapscope.cli.Main",
                "export", "--format", "pprof", Fixtures.example("esp-idf-sysview/heap_log0.svdat").toString());
        Process p = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(out, StandardCharsets.UTF_8).strip()).isEqualTo(
                "heapscope: pprof is gzip-compressed binary: not writing it to a terminal; use -o FILE or redirect it");
        CliRun piped = CliRun.of("export", "--format", "pprof", Fixtures.example("esp-idf-sysview/heap_log0.svdat").toString()); // not a terminal
        assertThat(piped.status()).as(piped.err()).isZero();
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
