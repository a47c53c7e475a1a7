package heapscope.cli;

import heapscope.Fixtures;
import heapscope.monitor.KeyAction;
import heapscope.monitor.KeyReader;
import heapscope.monitor.Keys;
import heapscope.source.SerialStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * idf.py monitor's keys on a virtual serial port (a socat pty pair): what is typed arrives at the device, Ctrl-]
 * and Ctrl-C end the session with the report, and the terminal is put back as it was on every way out. The
 * monitor runs under script(1), so that its standard input is a terminal as at a keyboard. What a pty cannot
 * show is the control lines: it has none, so the reset is only said to be impossible (EspResetTest checks the calls).
 */
@Timeout(120)
class MonitorKeysTest {
    private static final Path LOG = Fixtures.corpus("serial-logs/issue-espressif-esp-idf-1582-corrupt_heap_bad_tail_abort.txt");

    @TempDir
    Path dir;

    /** The key reader fed from a pipe, as a test injects keys, sending to the serial port as the monitor does. */
    @Test
    void keysFromAPipeReachTheDeviceAndCommandsDoNot() throws Exception {
        try (PtyPair pair = PtyPair.in(dir)) {
            Collected device = pair.received();
            List<KeyAction> commands = new CopyOnWriteArrayList<>();
            PipedOutputStream typing = new PipedOutputStream();
            try (SerialStream port = new SerialStream(pair.host().toString(), 115200, false, 0, notice -> { });
                 KeyReader ignored = new KeyReader(new PipedInputStream(typing), new Keys(Keys.Eol.CR), a -> {
                     if (a instanceof KeyAction.Send s) {
                         port.write(s.bytes(), 0, s.bytes().length);
                     } else {
                         commands.add(a);
                     }
                 })) {
                typing.write("heap\n\u0014\u0012\u0014\u0014info\u001d".getBytes(StandardCharsets.US_ASCII));
                typing.flush();
                assertThat(device.await("info")).isEqualTo("heap\r\u0014info");
                assertThat(commands).containsExactly(KeyAction.Command.RESET, KeyAction.Command.EXIT);
            }
        }
    }

    /** The monitor under a terminal: standard output and error as the person sees them, and the keys typed. */
    private static final class Terminal implements AutoCloseable {
        private final Process script;
        private final OutputStream keys;
        private final Collected seen;

        Terminal(List<String> monitorArgs) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), "heapscope.cli.Main", "monitor"));
            command.addAll(monitorArgs);
            String run = "stty -g; " + String.join(" ", command.stream().map(a -> "'" + a + "'").toList()) + "; echo status=$?; stty -g";
            try {
                script = new ProcessBuilder("script", "-qec", run, "/dev/null").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("script (util-linux) is needed for this test", e);
            }
            keys = script.getOutputStream();
            seen = new Collected(script.getInputStream(), StandardCharsets.UTF_8);
        }

        void type(String s) throws IOException {
            keys.write(s.getBytes(StandardCharsets.ISO_8859_1));
            keys.flush();
        }

        String await(String expected) throws InterruptedException {
            return seen.await(expected);
        }

        /** Everything shown, once the run (and the second stty) ended. */
        String finished() throws InterruptedException {
            assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("the monitor ended").isTrue();
            Thread.sleep(300);
            return seen.all();
        }

        @Override
        public void close() {
            script.destroyForcibly();
        }
    }

    /** The terminal settings printed before and after the monitor (stty -g): the same, so it was put back. */
    private static void assertTerminalRestored(String shown) {
        List<String> settings = shown.lines().map(String::strip).filter(l -> l.matches("[0-9a-f]+(:[0-9a-f]+){10,}")).toList();
        assertThat(settings).as(shown).hasSize(2);
        assertThat(settings.get(1)).isEqualTo(settings.get(0));
    }

    @Test
    void typedKeysReachTheDeviceAndCtrlBracketExitsWithTheReport() throws Exception {
        try (PtyPair pair = PtyPair.in(dir);
             Terminal t = new Terminal(List.of(pair.host().toString(), "--status", "0", "--color", "never"))) {
            Collected device = pair.received();
            assertThat(t.await("exit: Ctrl-]")).as("the keys are read")
                    .contains("no DTR/RTS control lines (a pty, or an adapter without them): the board was not reset");
            pair.send(Files.readAllBytes(LOG));
            t.await("abort() was called");
            t.type("heap\n");
            assertThat(device.await("heap\r")).as("typed, Enter as CR, not echoed by the terminal").isEqualTo("heap\r");
            t.type("\u0014\u0012");
            assertThat(t.await("without them): not reset")).contains("--- " + pair.host() + ": no DTR/RTS control lines");
            t.type("\u0014\u0008");
            assertThat(t.await("this help")).contains("--- Ctrl-]");
            t.type("\u0014\u0005");
            // the report of what the decoder has finished so far: a message may still wait for its next line
            assertThat(t.await("Memory errors (")).as("the report so far").contains("heapscope leak report");
            t.type("\u001d");
            String shown = t.finished();
            assertThat(shown).contains("status=0");
            assertThat(shown.split("heapscope leak report", -1)).as("one report asked for, one at the end").hasSize(3);
            assertThat(shown.substring(shown.lastIndexOf("heapscope leak report"))).contains("Memory errors (2 reports)")
                    .contains("Crashes (1)");
            assertThat(shown).doesNotContain("heap\r\n").as("nothing typed was echoed");
            assertTerminalRestored(shown);
        }
    }

    @Test
    void ctrlCExitsWithStatus130AndTheReport() throws Exception {
        try (PtyPair pair = PtyPair.in(dir);
             Terminal t = new Terminal(List.of(pair.host().toString(), "--status", "0", "--color", "never", "--no-reset"))) {
            assertThat(t.await("exit: Ctrl-]")).as("--no-reset: the lines are not pulsed, so nothing to say")
                    .doesNotContain("DTR/RTS");
            pair.send(Files.readAllBytes(LOG));
            t.await("abort() was called");
            t.type("\u0003");
            String shown = t.finished();
            assertThat(shown).contains("Memory errors (2 reports)").contains("status=130");
            assertTerminalRestored(shown);
        }
    }

    @Test
    void thePortGoingAwayEndsTheSessionAndRestoresTheTerminal() throws Exception {
        PtyPair pair = PtyPair.in(dir);
        try (Terminal t = new Terminal(List.of(pair.host().toString(), "--status", "0", "--color", "never", "--reconnect", "0"))) {
            t.await("exit: Ctrl-]");
            pair.send(Files.readAllBytes(LOG));
            t.await("abort() was called");
            pair.close();
            String shown = t.finished();
            assertThat(shown).contains("port gone").contains("Crashes (1)").contains("status=0");
            assertTerminalRestored(shown);
        }
    }

    @Test
    void aKillRestoresTheTerminalToo() throws Exception {
        try (PtyPair pair = PtyPair.in(dir);
             Terminal t = new Terminal(List.of(pair.host().toString(), "--status", "0", "--color", "never"))) {
            t.await("exit: Ctrl-]");
            pair.send(Files.readAllBytes(LOG));
            t.await("abort() was called");
            long pid = ProcessHandle.of(t.script.pid()).orElseThrow().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("java")).findFirst().orElseThrow().pid();
            new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
            String shown = t.finished();
            assertThat(shown).contains("Crashes (1)").contains("status=143");
            assertTerminalRestored(shown);
        }
    }

    @Test
    void thePortAndSpeedComeFromEspportAndEspbaudAndSourceWinsOverPort() throws Exception {
        try (PtyPair pair = PtyPair.in(dir)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "heapscope.cli.Main", "monitor", "--status", "0", "--color", "never", "--reconnect", "0").redirectErrorStream(true);
            pb.environment().put("ESPPORT", pair.host().toString());
            pb.environment().put("ESPBAUD", "9600");
            Process monitor = pb.start();
            Collected shown = new Collected(monitor.getInputStream(), StandardCharsets.UTF_8);
            shown.await("the board was not reset"); // the port is open
            Process stty = new ProcessBuilder("stty", "-F", pair.host().toString(), "speed").redirectErrorStream(true).start();
            assertThat(new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()).isEqualTo("9600");
            pair.send(Files.readAllBytes(LOG));
            shown.await("abort() was called");
            pair.close();
            assertThat(monitor.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(shown.all()).contains("Crashes (1)");
        }
        CliRun run = CliRun.of("monitor", LOG.toString(), "-p", "/dev/ttyHEAPSCOPE-missing", "--status", "0", "--color", "never");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Crashes (1)");
        if (System.getenv("ESPPORT") == null) {
            assertThat(CliRun.of("monitor", "--status", "0").err()).as("neither SOURCE nor --port nor ESPPORT")
                    .startsWith("heapscope: no SOURCE: give the serial port");
        }
    }
}
