package heapscope.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.TinyTrace;
import heapscope.report.JsonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeCommandTest {
    private static final String CORE0 = Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString();
    private static final String CORE1 = Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString();

    @TempDir
    Path dir;

    @Test
    void textReportStatesEspIdfsFigureAndTheGroups() {
        CliRun run = CliRun.of("analyze", CORE0, CORE1, "--color", "never");
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("Found 17706 leaked bytes in 45 blocks.")
                .contains("esp32 (SystemView header), 2 cores, CPU 160 MHz")
                .contains("DRAM")
                .contains("#7")
                .doesNotContain("\u001b[");
        // one listing: each call stack once, under its number
        assertThat(run.out().lines().filter(l -> l.matches("#\\d+  [\\d,]+ B in [\\d,]+ blocks? of .*")).count()).isEqualTo(7);
    }

    @Test
    void blocksOptionListsEveryLeakInEspIdfsLineFormat() {
        CliRun run = CliRun.of("analyze", CORE0, CORE1, "--blocks", "--top", "1");
        assertThat(run.out().lines().filter(l -> l.contains("] HEAP: Allocated ")).count()).isEqualTo(45);
        assertThat(run.out()).contains("[0.001637325] HEAP: Allocated 8 bytes @ 0x3ffb68a0 from task \"main\" on core 0 by: 0x40081eff:0x40081f34:");
        assertThat(run.out()).contains("6 smaller call stacks not shown");
    }

    @Test
    void jsonReportFollowsTheDocumentedSchema() throws IOException {
        Path out = dir.resolve("report.json");
        CliRun run = CliRun.of("analyze", CORE0, CORE1, "--format", "json", "-o", out.toString());
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.get("schema").asText()).isEqualTo(JsonReport.SCHEMA);
        assertThat(json.at("/summary/leaked_bytes").asLong()).isEqualTo(17706);
        assertThat(json.at("/summary/leaked_blocks").asLong()).isEqualTo(45);
        assertThat(json.at("/target/chip").asText()).isEqualTo("esp32");
        assertThat(json.at("/capture/heap_events").asLong()).isEqualTo(99);
        assertThat(json.at("/capture/complete").asBoolean()).isTrue();
        JsonNode leaks = json.get("leaks");
        assertThat(leaks).hasSize(45);
        JsonNode first = leaks.get(0);
        assertThat(first.get("address").asText()).isEqualTo("0x3ffb68a0");
        assertThat(first.get("size").asLong()).isEqualTo(8);
        assertThat(first.get("task").asText()).isEqualTo("main");
        assertThat(first.get("core").asInt()).isZero();
        assertThat(first.get("time_ns").asLong()).isEqualTo(1_637_325);
        assertThat(first.get("region").asText()).isEqualTo("DRAM");
        for (JsonNode leak : leaks) {
            assertThat(leak.get("address").asText()).matches("0x[0-9a-f]{8}");
            assertThat(leak.get("callers")).isNotEmpty().allSatisfy(c -> assertThat(c.asText()).matches("0x[0-9a-f]{8}"));
        }
        long grouped = 0;
        for (JsonNode g : json.get("groups")) {
            grouped += g.get("bytes").asLong();
        }
        assertThat(grouped).isEqualTo(17706);
    }

    @Test
    void chipOverrideChangesRegions() throws IOException {
        CliRun run = CliRun.of("analyze", CORE0, CORE1, "--format", "json", "--chip", "esp32c3");
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.at("/target/chip").asText()).isEqualTo("esp32c3");
        assertThat(json.at("/summary/regions/0/region").asText()).isEqualTo("unknown"); // 0x3ffb.. is not C3 RAM
    }

    @Test
    void unusableInputIsOneLineAndStatus2() throws IOException {
        Path text = Files.writeString(dir.resolve("capture.txt"), "hello\n");
        CliRun notATrace = CliRun.of("analyze", text.toString());
        assertThat(notATrace.status()).isEqualTo(2);
        assertThat(notATrace.err()).isEqualTo("heapscope: " + text
                + ": no heap data found (not a SystemView trace, and no heap message heapscope knows in 1 lines of text)\n");
        Path binary = Files.write(dir.resolve("firmware.bin"), new byte[] {(byte) 0xE9, 3, 2, 0x20, 0, 0, 0, 0});
        CliRun notText = CliRun.of("analyze", binary.toString());
        assertThat(notText.status()).isEqualTo(2);
        assertThat(notText.err().lines()).hasSize(1);
        CliRun missing = CliRun.of("analyze", dir.resolve("nope.svdat").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().lines()).singleElement().asString().contains("nope.svdat").contains("no such file");
        CliRun badChip = CliRun.of("analyze", CORE0, "--chip", "esp8266");
        assertThat(badChip.status()).isEqualTo(2);
        assertThat(badChip.err().lines()).hasSize(1);
        CliRun badOption = CliRun.of("analyze", CORE0, "--bogus");
        assertThat(badOption.status()).isEqualTo(2);
        CliRun noInput = CliRun.of("analyze");
        assertThat(noInput.status()).isEqualTo(2);
        CliRun badTcp = CliRun.of("analyze", "tcp://localhost");
        assertThat(badTcp.status()).isEqualTo(2);
        assertThat(badTcp.err()).doesNotContain("Exception").doesNotContain("\tat ");
        CliRun threeCores = CliRun.of("analyze", CORE0, CORE1, CORE1);
        assertThat(threeCores.status()).isEqualTo(2);
        assertThat(threeCores.err()).isEqualTo("heapscope: " + CORE1 + ": 3 trace files given, but OpenOCD writes one file per"
                + " core and ESP32 chips trace at most 2 cores\n");
        for (List<String> args : List.of(List.of("analyze", dir.toString()), List.of("analyze", CORE0, "--elf", dir.toString()),
                List.of("analyze", CORE0, "--suppress", dir.toString()), List.of("symbolize", "--elf", dir.toString(), "0x1"))) {
            CliRun directory = CliRun.of(args.toArray(String[]::new));
            assertThat(directory.status()).as(args.toString()).isEqualTo(2);
            assertThat(directory.err().lines()).as(args.toString()).singleElement().asString()
                    .endsWith(dir + ": is a directory, not a file");
        }
    }

    @Test
    void everyLeakedByteIsInACycleOrSaidToBeOutsideThem() throws IOException {
        CliRun run = CliRun.of("analyze", CORE0, CORE1, "--cycle", "Wait notify", "--format", "json");
        JsonNode c = new ObjectMapper().readTree(run.out()).at("/cycles");
        long inCycles = 0;
        for (JsonNode cycle : c.at("/list")) {
            inCycles += cycle.get("leaked_bytes").asLong();
        }
        assertThat(c.at("/before_first/leaked_bytes").asLong()).isEqualTo(17_442); // the example's start-up
        assertThat(c.at("/before_first/leaked_bytes").asLong() + c.at("/in_grace/leaked_bytes").asLong() + inCycles)
                .isEqualTo(17_706);
        assertThat(CliRun.of("analyze", CORE0, CORE1, "--cycle", "Wait notify").out())
                .containsPattern("-\\s+0.000 s\\s+21\\s+17,442  \\(before the first marker\\)");
    }

    @Test
    void aLogsCaptureLineIsTheSameWithAndWithoutCycles() {
        assertThat(CliRun.of("simulate", "connections", "--log", "-o", dir.toString()).status()).isZero();
        String log = dir.resolve("capture.log").toString();
        String plain = CliRun.of("analyze", log).out().lines().filter(l -> l.startsWith("  capture ")).findFirst().orElseThrow();
        String cycles = CliRun.of("analyze", log, "--cycle", "New connection").out().lines()
                .filter(l -> l.startsWith("  capture ")).findFirst().orElseThrow();
        assertThat(plain).isEqualTo(cycles).contains("12 heap listings").doesNotContain(" 0 log messages");
    }

    @Test
    void wrongArgumentsAreOneLineAndStatus2() {
        List<List<String>> wrong = List.of(List.of("--max-site-bytes", "5 apples"), List.of("--max-leaked-bytes", "-1"),
                List.of("--free-heap", "abc"), List.of("--color", "sometimes"), List.of("--max-leak-per-cycle", "8000"),
                List.of("--top", "x"));
        for (List<String> options : wrong) {
            List<String> args = new ArrayList<>(List.of("analyze", CORE0, CORE1));
            args.addAll(options);
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.status()).as(options.toString()).isEqualTo(2);
            assertThat(run.err().lines()).as(options.toString()).singleElement().asString()
                    .startsWith("heapscope: ").contains(options.get(0));
            assertThat(run.out()).as(options.toString()).isEmpty();
        }
        CliRun sizes = CliRun.of("analyze", CORE0, CORE1, "--max-leaked-bytes", "17k", "--max-site-bytes", "1M");
        assertThat(sizes.status()).isEqualTo(3); // 17,706 bytes leak: more than 17 x 1024
        assertThat(sizes.err()).contains("max-leaked-bytes: 17706 bytes leaked in 45 blocks (budget 17408)")
                .doesNotContain("max-site-bytes");
    }

    @Test
    void truncatedTraceStillReportsWithAWarning() throws IOException {
        byte[] full = Files.readAllBytes(Path.of(CORE0));
        Path cut = Files.write(dir.resolve("cut.svdat"), Arrays.copyOf(full, 5000));
        CliRun run = CliRun.of("analyze", cut.toString(), CORE1);
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("warning: " + cut + ": byte ").contains("leaked bytes in")
                .contains("Incomplete: decoding of " + cut + " stopped at byte 4964, on damaged or cut-off data");
        CliRun json = CliRun.of("analyze", cut.toString(), CORE1, "--format", "json");
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(json.out()).at("/capture/complete").asBoolean()).isFalse();
        assertThat(mapper.readTree(CliRun.of("analyze", CORE0, CORE1, "--format", "json").out()).at("/capture/complete").asBoolean())
                .isTrue();
    }

    @Test
    void everyCommandHasHelp() {
        List<String> commands = List.of("analyze", "events", "diff", "export", "monitor", "replay", "simulate", "bench",
                "symbolize");
        for (String command : List.of("analyze", "events")) {
            CliRun run = CliRun.of(command, "--help");
            assertThat(run.status()).as(command).isZero();
            assertThat(run.out()).as(command).contains("Usage: heapscope " + command).contains("Exit status");
        }
        for (String command : commands) { // only the named command is built: each must still find its own help
            assertThat(CliRun.of(command, "--help").out()).as(command).startsWith("Usage: heapscope " + command);
            assertThat(CliRun.of("help", command).out()).as(command).startsWith("Usage: heapscope " + command);
        }
        String overview = CliRun.of("--help").out();
        commands.forEach(c -> assertThat(overview).contains("\n  " + c + " "));
        CliRun unknown = CliRun.of("analyse", "x.svdat");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("analyse").contains("analyze");
    }

    @Test
    void eventsListsHeapEventsAndEverythingWithAll() throws IOException {
        CliRun heap = CliRun.of("events", CORE0, CORE1);
        assertThat(heap.status()).isZero();
        assertThat(heap.out().lines().filter(l -> l.contains(": alloc ") || l.contains(": free @ ")).count()).isEqualTo(99);
        assertThat(heap.out().lines().filter(l -> l.contains(": log ")).count()).isEqualTo(60);
        CliRun all = CliRun.of("events", "--all", CORE0, CORE1);
        assertThat(all.out().lines().count()).isEqualTo(2641);
        CliRun jsonl = CliRun.of("events", "--format", "jsonl", CORE0, CORE1);
        ObjectMapper mapper = new ObjectMapper();
        for (String line : jsonl.out().lines().toList()) {
            assertThat(mapper.readTree(line).get("time_ns").isNumber()).isTrue();
        }
    }

    /** Names and messages come from the device: they must not inject terminal control sequences or break JSON. */
    @Test
    void deviceStringsAreEscaped() throws IOException {
        String evil = "<img src=x onerror=alert(1)>\u001b[2J\"\\</script>";
        TinyTrace t = new TinyTrace().task(100, evil);
        t.w.heapAlloc(0, 512, 0x3FFB0000L, 32, new long[] {0x400D1234L}, 1, 4, 10);
        t.w.print(0, evil + "\n", 10);
        Path trace = t.write(dir.resolve("evil.svdat"));

        CliRun text = CliRun.of("analyze", trace.toString(), "--color", "never");
        assertThat(text.status()).isZero();
        assertThat(text.out()).doesNotContain("\u001b").contains("\\x1b[2J");
        CliRun json = CliRun.of("analyze", trace.toString(), "--format", "json");
        JsonNode tree = new ObjectMapper().readTree(json.out());
        assertThat(tree.at("/leaks/0/task").asText()).isEqualTo(evil);
        CliRun events = CliRun.of("events", trace.toString());
        assertThat(events.out()).doesNotContain("\u001b");
        CliRun jsonl = CliRun.of("events", trace.toString(), "--format", "jsonl");
        for (String line : jsonl.out().lines().toList()) {
            new ObjectMapper().readTree(line);
        }
    }
}
