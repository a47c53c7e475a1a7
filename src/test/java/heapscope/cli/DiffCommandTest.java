package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.report.DiffReport;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** diff proves a fix: seed 001's scenario before and after deleting each connection's mutexes. */
class DiffCommandTest {
    private static final Path EXAMPLE = Fixtures.example("connection");
    /** The shipped example and the same firmware after its mutex fix (examples/connection/fixed, with its ground truth). */
    private static final String BEFORE = capture(EXAMPLE);
    private static final String FIXED = capture(EXAMPLE.resolve("fixed"));
    private static final String ELF = EXAMPLE.resolve("app.elf").toString();
    private static final String CYCLE = "New connection";

    @TempDir
    Path dir;

    /** The call stacks of the example firmware, for more captures of it. */
    private static ConnectionScenario.Stacks exampleStacks() throws Exception {
        return ConnectionScenario.Stacks.fromCallSites(Files.readAllLines(EXAMPLE.resolve("callsites.txt")));
    }

    private static String capture(Path d) {
        return d.resolve("cpu0.svdat") + "," + d.resolve("cpu1.svdat");
    }

    @Test
    void theFixedMutexSiteIsFixedAndTheRestUnchanged() throws Exception {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        ConnectionScenario.Truth b = ConnectionScenario.write(before, 8, 5, false);
        ConnectionScenario.Truth a = ConnectionScenario.write(after, 8, 5, true);
        CliRun run = CliRun.of("diff", capture(before), capture(after), "--format", "json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("schema").asText()).isEqualTo(DiffReport.SCHEMA);
        assertThat(json.get("before_bytes").asLong()).isEqualTo(b.leakedBytes());
        assertThat(json.get("after_bytes").asLong()).isEqualTo(a.leakedBytes());
        JsonNode sites = json.get("sites");
        assertThat(sites).hasSize(7);
        assertThat(sites.get(0).get("status").asText()).isEqualTo("fixed");
        assertThat(sites.get(0).get("before_bytes").asLong()).isEqualTo(84L * 64 * 8);
        assertThat(sites.get(0).get("after_bytes").asLong()).isZero();
        for (int i = 1; i < 7; i++) {
            assertThat(sites.get(i).get("status").asText()).isEqualTo("same");
        }
        CliRun text = CliRun.of("diff", capture(before), capture(after));
        assertThat(text.out()).contains("fixed").contains("-43,008");
    }

    @Test
    void aCutOffAfterCaptureIsNotPassedOffAsAFix() throws Exception {
        Path before = dir.resolve("before");
        ConnectionScenario.write(before, 8, 5, false);
        Path after = Files.createDirectories(dir.resolve("after"));
        for (String core : new String[] {"cpu0.svdat", "cpu1.svdat"}) { // the same capture, cut inside a packet
            byte[] full = Files.readAllBytes(before.resolve(core));
            Files.write(after.resolve(core), Arrays.copyOf(full, 4000));
        }
        CliRun run = CliRun.of("diff", capture(before), capture(after));
        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("heapscope: warning: " + after.resolve("cpu0.svdat") + ": byte ")
                .contains("decoding of this stream stopped")
                .contains("heapscope: warning: AFTER is incomplete").doesNotContain("BEFORE is incomplete");
    }

    @Test
    void growthFailsTheGateWhenAsked() throws Exception {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        ConnectionScenario.write(before, 8, 5, true);
        ConnectionScenario.write(after, 8, 5, false);
        CliRun run = CliRun.of("diff", capture(before), capture(after), "--fail-on-growth", "--format", "json");
        assertThat(run.status()).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(run.out()).at("/sites/0/status").asText()).isEqualTo("new");
        assertThat(CliRun.of("diff", capture(before), capture(after), "--format", "json").status()).isZero();
    }

    @Test
    void withTheElfSitesAreNamedByFunctionForBothCaptures() throws Exception {
        // The example's own firmware: the two-core capture against its first core alone, one ELF for both.
        Path example = Fixtures.example("connection");
        String both = capture(example);
        String cpu0 = example.resolve("cpu0.svdat").toString();
        String elf = example.resolve("app.elf").toString();
        CliRun shared = CliRun.of("diff", both, cpu0, "--elf", elf);
        assertThat(shared.status()).as(shared.err()).isZero();
        assertThat(shared.out()).containsPattern("same +64,512 +64,512 +0  callback_init \\(peer_connection\\.c\\)");
        CliRun separate = CliRun.of("diff", both, cpu0, "--elf-before", elf, "--elf-after", elf);
        assertThat(separate.out()).isEqualTo(shared.out());
        assertThat(CliRun.of("diff", both, cpu0, "--elf-before", elf).status()).isEqualTo(2);
    }

    @Test
    void aFixIsProvedPerCycleInEveryFormat() throws Exception {
        CliRun text = CliRun.of("diff", BEFORE, FIXED, "--elf", ELF, "--cycle", CYCLE);
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("  per cycle  8,628 -> 3,252 bytes (69 -> 5 blocks), change -5,376 bytes\n")
                .contains("steady leak per 'New connection' cycle: median of 10 cycles before, 10 after (12 and 12 marked, warm-up 1)");
        JsonNode json = new ObjectMapper().readTree(CliRun.of("diff", BEFORE, FIXED, "--elf", ELF, "--cycle", CYCLE, "--format", "json").out());
        assertThat(json.at("/cycles/marker").asText()).isEqualTo(CYCLE);
        assertThat(json.at("/cycles/before/steady_bytes_per_cycle").asLong()).isEqualTo(8628);
        assertThat(json.at("/cycles/before/steady_blocks_per_cycle").asLong()).isEqualTo(69);
        assertThat(json.at("/cycles/after/steady_bytes_per_cycle").asLong()).isEqualTo(3252);
        assertThat(json.at("/cycles/after/steady_blocks_per_cycle").asLong()).isEqualTo(5);
        assertThat(json.at("/cycles/after/count").asInt()).isEqualTo(12);
        assertThat(json.at("/cycles/after/steady_cycles").asInt()).isEqualTo(10);
        assertThat(json.at("/cycles/change_bytes_per_cycle").asLong()).isEqualTo(-5376);
        assertThat(json.at("/cycles/change_blocks_per_cycle").asLong()).isEqualTo(-64);
        String html = CliRun.of("diff", BEFORE, FIXED, "--elf", ELF, "--cycle", CYCLE, "--format", "html").out();
        assertThat(html).contains("<div class=\"figure\" id=\"fig-per-cycle\"><span class=\"value\">8,628 → 3,252</span>")
                .contains("class=\"verdict good\">-5,376 leaked bytes per cycle (&#39;New connection&#39;), -64,512 in all</p>");
        CliRun plain = CliRun.of("diff", BEFORE, FIXED, "--elf", ELF, "--format", "json");
        assertThat(new ObjectMapper().readTree(plain.out()).get("cycles").isNull()).as("no --cycle, no figure per cycle").isTrue();
    }

    @Test
    void aLeakPerCycleThatGrowsFailsTheGateAndSaysWhy() {
        CliRun run = CliRun.of("diff", FIXED, BEFORE, "--elf", ELF, "--cycle", CYCLE, "--fail-on-growth");
        assertThat(run.status()).isEqualTo(AnalyzeCommand.BUDGET_EXCEEDED);
        assertThat(run.err()).contains("heapscope: --fail-on-growth: leak per cycle ('New connection'): 3252 -> 8628 bytes\n")
                .contains("heapscope: --fail-on-growth: new: callback_init (peer_connection.c): 0 -> 64512 bytes");
        assertThat(CliRun.of("diff", BEFORE, FIXED, "--elf", ELF, "--cycle", CYCLE, "--fail-on-growth").status()).isZero();
    }

    @Test
    void perCycleALongerRunIsNoGrowthThoughItsSitesTotalsGrew() throws Exception {
        // the fixed firmware again, 20 connections instead of 12: the same leak per connection, larger totals
        Path longer = dir.resolve("longer");
        ConnectionScenario.write(longer, 20, 1, true, exampleStacks());
        CliRun totals = CliRun.of("diff", FIXED, capture(longer), "--elf", ELF, "--fail-on-growth");
        assertThat(totals.status()).isEqualTo(AnalyzeCommand.BUDGET_EXCEEDED);
        assertThat(totals.err()).contains("--fail-on-growth: grown: peer_connection_open (peer_connection.c)");
        CliRun perCycle = CliRun.of("diff", FIXED, capture(longer), "--elf", ELF, "--fail-on-growth", "--cycle", CYCLE);
        assertThat(perCycle.status()).as(perCycle.err()).isZero();
        assertThat(perCycle.out()).contains("per cycle  3,252 -> 3,252 bytes (5 -> 5 blocks), change 0 bytes");
        assertThat(perCycle.err()).contains("heapscope: --fail-on-growth: 2 grown sites not counted: BEFORE ran 12 cycles, AFTER 20; "
                + "the leak per cycle is compared instead").doesNotContain("grown: ");
    }

    @Test
    void tooFewCyclesForASteadyFigureSaySoAndTheGateFallsBackToSites() throws Exception {
        Path two = dir.resolve("two");
        ConnectionScenario.write(two, 2, 1, false, exampleStacks());
        CliRun run = CliRun.of("diff", FIXED, capture(two), "--elf", ELF, "--cycle", CYCLE, "--fail-on-growth");
        assertThat(run.out()).contains("per cycle  'New connection': before 3,252 bytes (5 blocks); after not measured: 2 cycles marked, too few");
        assertThat(run.err()).contains("heapscope: --fail-on-growth: no steady leak per cycle in AFTER (too few cycles marked): the sites' "
                + "totals are checked instead").contains("new: callback_init");
        assertThat(run.status()).isEqualTo(AnalyzeCommand.BUDGET_EXCEEDED);
        JsonNode json = new ObjectMapper().readTree(CliRun.of("diff", FIXED, capture(two), "--elf", ELF, "--cycle", CYCLE, "--format", "json").out());
        assertThat(json.at("/cycles/after/steady_bytes_per_cycle").asLong()).isEqualTo(-1);
        assertThat(json.at("/cycles/change_bytes_per_cycle").isNull()).isTrue();
    }

    @Test
    void eachCapturesConditionsAreInTheHeadlineOfEveryFormatNamingTheCapture() throws Exception {
        String cpu0 = EXAMPLE.resolve("cpu0.svdat").toString();
        String missing = "Incomplete: after: " + cpu0 + ": core 1's stream is missing";
        CliRun text = CliRun.of("diff", BEFORE, cpu0);
        assertThat(text.out()).contains(missing).doesNotContain("Incomplete: before");
        assertThat(text.out().indexOf(missing)).as("above the figures").isLessThan(text.out().indexOf("  before  "));
        assertThat(CliRun.of("diff", cpu0, BEFORE).out()).contains("Incomplete: before: " + cpu0).doesNotContain("Incomplete: after");
        JsonNode json = new ObjectMapper().readTree(CliRun.of("diff", BEFORE, cpu0, "--format", "json").out());
        assertThat(json.get("before_complete").asBoolean()).isTrue();
        assertThat(json.get("after_complete").asBoolean()).isFalse();
        assertThat(json.get("conditions")).hasSize(1);
        assertThat(json.at("/conditions/0/capture").asText()).isEqualTo("after");
        assertThat(json.at("/conditions/0/kind").asText()).isEqualTo("missing_core");
        assertThat(json.at("/conditions/0/effect").asText()).isEqualTo("incomplete");
        assertThat(json.at("/conditions/0/source").asText()).isEqualTo(cpu0);
        assertThat(CliRun.of("diff", BEFORE, cpu0, "--format", "html").out()).contains("<p class=\"warning\">" + missing.replace("'", "&#39;"));

        // an ELF that is not AFTER's firmware (Espressif's ESP32 recording against the example's RISC-V ELF)
        Path idf = Fixtures.example("esp-idf-sysview");
        String other = idf.resolve("heap_log0.svdat") + "," + idf.resolve("heap_log1.svdat");
        CliRun wrong = CliRun.of("diff", BEFORE, other, "--elf", ELF, "--format", "json");
        assertThat(wrong.status()).isZero();
        JsonNode mismatch = new ObjectMapper().readTree(wrong.out());
        assertThat(mismatch.get("before_elf_mismatch").asBoolean()).isFalse();
        assertThat(mismatch.get("after_elf_mismatch").asBoolean()).isTrue();
        assertThat(mismatch.at("/conditions/0/capture").asText()).isEqualTo("after");
        assertThat(mismatch.at("/conditions/0/kind").asText()).isEqualTo("elf_mismatch");
        assertThat(CliRun.of("diff", BEFORE, other, "--elf", ELF).out()).contains("ELF mismatch: after: " + ELF + ": this ELF is RISC-V code");
        assertThat(CliRun.of("diff", BEFORE, other, "--elf", ELF, "--format", "html").out()).contains("<p class=\"warning elf-mismatch\">ELF mismatch: after: ");
        CliRun strict = CliRun.of("diff", BEFORE, other, "--elf", ELF, "--strict");
        assertThat(strict.status()).as("--strict as analyze: any condition is status 2").isEqualTo(StrictOption.UNTRUSTED);
        assertThat(strict.err()).contains("heapscope: --strict: elf_mismatch: " + ELF);
    }

    @Test
    void serialLogsMarkTheirCyclesToo() throws Exception {
        // the same firmware through its serial log (a heap_trace_dump per connection): the log lines mark the cycles
        Path before = dir.resolve("before.log");
        Path after = dir.resolve("after.log");
        try (Writer b = Files.newBufferedWriter(before); Writer a = Files.newBufferedWriter(after)) {
            ConnectionScenario.writeLog(b, 5, false, exampleStacks());
            ConnectionScenario.writeLog(a, 5, true, exampleStacks());
        }
        CliRun run = CliRun.of("diff", before.toString(), after.toString(), "--cycle", CYCLE);
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("per cycle  8,628 -> 3,252 bytes (69 -> 5 blocks), change -5,376 bytes");
    }

    @Test
    void stacksAreCutAndCompletedAsInAnalyze() {
        // cut to ESP-IDF's default 2 frames, the mutexes' wrapper hides the fixed site; completion from the call graph finds it again
        CliRun completed = CliRun.of("diff", BEFORE, FIXED, "--elf", ELF, "--stack-depth", "2");
        CliRun cut = CliRun.of("diff", BEFORE, FIXED, "--elf", ELF, "--stack-depth", "2", "--no-complete");
        assertThat(completed.status()).as(completed.err()).isZero();
        assertThat(completed.out()).containsPattern("fixed +64,512 +0 +-64,512 +callback_init \\(peer_connection.c\\)");
        assertThat(cut.out()).doesNotContain("callback_init").containsPattern("shrunk +72,672 +8,160 +-64,512 +0x400001ae");
    }
}
