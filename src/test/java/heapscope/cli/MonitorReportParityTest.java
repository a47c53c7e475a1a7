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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code monitor - < CAPTURE} ends with the report {@code analyze - < CAPTURE} prints with the same options, in
 * text and JSON, for every capture of the corpus and the examples (each SystemView file of a two-core pair on its
 * own: a stream is one file), and with an ELF, rules, suppressions, a link map and cycles.
 */
class MonitorReportParityTest {
    @TempDir
    Path dir;

    /** Every capture that comes as one stream: the corpus's serial logs and SystemView files, the examples' traces. */
    static List<Path> captures() throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> logs = Files.list(Fixtures.corpus("serial-logs"))) {
            logs.filter(p -> p.toString().endsWith(".txt")).sorted().forEach(out::add);
        }
        for (String trace : List.of("heap_log0.svdat", "heap_log1.svdat")) {
            out.add(Fixtures.corpus("esp-idf-sysview/" + trace));
            out.add(Fixtures.example("esp-idf-sysview/" + trace));
        }
        out.add(Fixtures.example("connection/cpu0.svdat"));
        out.add(Fixtures.example("connection/cpu1.svdat"));
        return out;
    }

    @Test
    void everyCaptureGetsAnalyzesReportInTextAndJson() throws Exception {
        List<Path> captures = captures();
        assertThat(captures).hasSize(12);
        for (Path capture : captures) {
            byte[] bytes = Files.readAllBytes(capture);
            for (String format : List.of("text", "json")) {
                same(bytes, capture + " " + format, "--format", format);
            }
        }
    }

    @Test
    void withTheElfRulesSuppressionsMapAndCyclesOfTheExample() throws Exception {
        Path suppress = Files.writeString(dir.resolve("accepted.supp"), "leak:peer_connection_open\n");
        Path rules = Files.writeString(dir.resolve("rules.txt"), "[buffer-kept]\nkind = expected\nframes = peer_connection_open\ntitle = buffer kept by design\nexplain = kept\nfix = none\n");
        byte[] trace = Files.readAllBytes(Fixtures.example("connection/cpu0.svdat"));
        StringWriter log = new StringWriter();
        ConnectionScenario.writeLog(log, 3, false, ConnectionScenario.Stacks.fromCallSites(
                Files.readAllLines(Fixtures.example("connection/callsites.txt"))));
        for (byte[] capture : List.of(trace, log.toString().getBytes(StandardCharsets.UTF_8))) {
            for (String format : List.of("text", "json")) {
                same(capture, "example " + format, "--format", format, "--elf", Fixtures.example("connection/app.elf").toString(),
                        "--map", Fixtures.example("connection/app.map").toString(), "--suppress", suppress.toString(), "--rules", rules.toString(),
                        "--cycle", "New connection", "--top", "3", "--blocks", "--max-leaked-bytes", "1k");
            }
        }
    }

    private static void same(byte[] capture, String what, String... options) {
        CliRun analyze = run(capture, "analyze", options);
        CliRun monitor = run(capture, "monitor", options);
        assertThat(analyze.out()).as(what).isNotBlank();
        assertThat(monitor.out()).as(what).endsWith("\n" + analyze.out());
        assertThat(monitor.status()).as(what).isEqualTo(analyze.status());
    }

    private static CliRun run(byte[] capture, String command, String... options) {
        List<String> args = new ArrayList<>(List.of(command, "-", "--color", "never"));
        if (command.equals("monitor")) {
            args.addAll(List.of("--status", "0"));
        }
        args.addAll(List.of(options));
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(capture));
            return CliRun.of(args.toArray(String[]::new));
        } finally {
            System.setIn(saved);
        }
    }
}
