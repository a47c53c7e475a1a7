package heapscope.cli;

import heapscope.Fixtures;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** No command overwrites what the user cannot make again: its inputs, or a saved capture. */
class OutputSafetyTest {
    @TempDir
    Path dir;

    /** The shipped two-core example, copied so that a failing check cannot damage the original. */
    private Path copy(String name) throws Exception {
        Path to = dir.resolve(name);
        Files.copy(Fixtures.example("connection/" + name), to);
        return to;
    }

    private Path log() throws Exception {
        StringWriter w = new StringWriter();
        ConnectionScenario.writeLog(w, 2, false, ConnectionScenario.Stacks.synthetic());
        return Files.writeString(dir.resolve("in.log"), w.toString());
    }

    /** Runs ARGS and checks it refused with one line naming FILE, and that FILE still holds its bytes. */
    private static void refused(Path file, String... args) throws Exception {
        byte[] before = Files.readAllBytes(file);
        CliRun run = CliRun.of(args);
        assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString().startsWith("heapscope: ").contains(file.toString()).contains("refusing to overwrite");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void analyzeRefusesAReportOrJUnitFileThatIsAnInputOrTheElf() throws Exception {
        Path log = log();
        Path cpu0 = copy("cpu0.svdat");
        Path cpu1 = copy("cpu1.svdat");
        Path elf = copy("app.elf");
        refused(log, "analyze", log.toString(), "-o", log.toString());
        refused(cpu1, "analyze", cpu0.toString(), cpu1.toString(), "-o", cpu1.toString());
        refused(elf, "analyze", cpu0.toString(), cpu1.toString(), "--elf", elf.toString(), "-o", elf.toString());
        refused(log, "analyze", log.toString(), "--junit", log.toString(), "--max-leaked-bytes", "1");
        // another spelling of the same file, and a link to it
        refused(log, "analyze", log.toString(), "-o", dir.resolve("x/../in.log").toString());
        Path link = Files.createSymbolicLink(dir.resolve("link.log"), log);
        refused(log, "analyze", log.toString(), "-o", link.toString());
    }

    @Test
    void twoOutputsNamingOneFileAreRefused() throws Exception {
        Path log = log();
        Path out = dir.resolve("out.txt");
        CliRun run = CliRun.of("analyze", log.toString(), "-o", out.toString(), "--junit", out.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--junit and -o name the same file");
        assertThat(out).doesNotExist();
    }

    @Test
    void everyCommandThatWritesRefusesItsInputs() throws Exception {
        Path log = log();
        Path elf = copy("app.elf");
        refused(log, "export", "--format", "folded", log.toString(), "-o", log.toString());
        refused(elf, "export", "--format", "pprof", log.toString(), "--elf", elf.toString(), "-o", elf.toString());
        refused(log, "events", log.toString(), "-o", log.toString());
        refused(log, "diff", log.toString(), log.toString(), "-o", log.toString());
        refused(log, "replay", log.toString(), "--to", log.toString());
        Path callsites = dir.resolve("capture.log");
        Files.copy(Fixtures.example("connection/callsites.txt"), callsites);
        refused(callsites, "simulate", "connections", "--log", "--callsites", callsites.toString(), "-o", dir.toString());
    }

    @Test
    void dashAsTheOutputIsStandardOutput() throws Exception {
        Path log = log();
        CliRun run = CliRun.of("analyze", log.toString(), "-o", "-", "--color", "never");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("heapscope leak report");
        assertThat(Path.of("-")).doesNotExist();
        CliRun export = CliRun.of("export", "--format", "folded", log.toString(), "-o", "-");
        assertThat(export.status()).isZero();
        assertThat(export.out()).isNotEmpty();
        assertThat(Path.of("-")).doesNotExist();
    }

    private static CliRun monitor(String input, String... args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliRun.of(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void monitorNeverSavesOverTheFileItReads() throws Exception {
        Path log = log();
        refused(log, "monitor", log.toString(), "--save", log.toString(), "--status", "0");
        refused(log, "monitor", log.toString(), "--save", log.toString(), "--status", "0", "--force");
    }

    @Test
    void monitorKeepsAnExistingCaptureUnlessForced() throws Exception {
        Path cap = Files.writeString(dir.resolve("cap.log"), "yesterday's capture\n");
        Path times = Files.writeString(dir.resolve("cap.log.times"), "0 1700000000000\n");
        String input = Files.readString(log());
        CliRun run = monitor(input, "monitor", "-", "--save", cap.toString(), "--status", "0", "--color", "never");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString().contains(cap.toString()).contains("--force");
        assertThat(Files.readString(cap)).isEqualTo("yesterday's capture\n");
        assertThat(Files.readString(times)).isEqualTo("0 1700000000000\n");

        Files.delete(cap); // the capture's .times alone is kept too
        assertThat(monitor(input, "monitor", "-", "--save", cap.toString(), "--status", "0").status()).isEqualTo(2);
        assertThat(Files.readString(times)).isEqualTo("0 1700000000000\n");

        CliRun forced = monitor(input, "monitor", "-", "--save", cap.toString(), "--status", "0", "--color", "never", "--force");
        assertThat(forced.status()).isZero();
        assertThat(Files.readString(cap)).isEqualTo(input);
        assertThat(Files.readString(times)).doesNotContain("1700000000000");
    }
}
