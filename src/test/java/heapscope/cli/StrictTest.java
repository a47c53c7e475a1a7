package heapscope.cli;

import heapscope.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --strict: a capture the report calls incomplete (here: core 1's stream not given) is unusable input for CI,
 * status 2 after the report, in every command that reads captures; a complete one keeps its status.
 */
class StrictTest {
    private static final String CPU0 = Fixtures.example("connection/cpu0.svdat").toString();
    private static final String CPU1 = Fixtures.example("connection/cpu1.svdat").toString();

    @Test
    void aMissingCoreFailsAnalyzeOnlyUnderStrict() {
        CliRun lenient = CliRun.of("analyze", CPU0);
        assertThat(lenient.status()).as(lenient.err()).isZero();
        CliRun strict = CliRun.of("analyze", CPU0, "--strict");
        assertThat(strict.status()).isEqualTo(StrictOption.UNTRUSTED);
        assertThat(strict.out()).as("the report is still written").contains("leaked bytes");
        assertThat(strict.err()).containsPattern("heapscope: --strict: missing_core: .*cpu0.svdat: core 1's stream is missing");
        CliRun complete = CliRun.of("analyze", CPU0, CPU1, "--strict");
        assertThat(complete.status()).as(complete.err()).isZero();
    }

    @Test
    void strictOutranksABudget() {
        CliRun budget = CliRun.of("analyze", CPU0, "--max-leaked-bytes", "1");
        assertThat(budget.status()).isEqualTo(AnalyzeCommand.BUDGET_EXCEEDED);
        assertThat(CliRun.of("analyze", CPU0, "--max-leaked-bytes", "1", "--strict").status()).isEqualTo(StrictOption.UNTRUSTED);
    }

    @Test
    void exportEventsAndDiffTakeStrictToo() {
        assertThat(CliRun.of("export", "--format", "folded", CPU0, "--strict").status()).isEqualTo(StrictOption.UNTRUSTED);
        assertThat(CliRun.of("export", "--format", "folded", CPU0, CPU1, "--strict").status()).isZero();
        CliRun events = CliRun.of("events", CPU0, "--strict");
        assertThat(events.status()).isEqualTo(StrictOption.UNTRUSTED);
        CliRun diff = CliRun.of("diff", CPU0 + "," + CPU1, CPU0, "--strict");
        assertThat(diff.status()).isEqualTo(StrictOption.UNTRUSTED);
        assertThat(diff.err()).contains("AFTER is incomplete");
    }

    @Test
    void underStrictEachConditionIsSaidOnceOnStandardError() {
        String reason = "cpu0.svdat: core 1's stream is missing";
        for (CliRun run : new CliRun[] {CliRun.of("events", CPU0, "--strict"), CliRun.of("export", "--format", "folded", CPU0, "--strict"),
                CliRun.of("diff", CPU0 + "," + CPU1, CPU0, "--strict")}) {
            assertThat(run.status()).isEqualTo(StrictOption.UNTRUSTED);
            assertThat(run.err().split(Pattern.quote(reason), -1)).as(run.err()).hasSize(2);
            assertThat(run.err()).containsPattern("heapscope: --strict: missing_core: .*" + reason);
        }
        assertThat(CliRun.of("events", CPU0).err()).as("without --strict it is said as the capture is read")
                .containsPattern("heapscope: incomplete capture: .*" + reason);
    }

    @Test
    void aWrongElfUnderStrictIsSaidOnceInFull() {
        String elf = Fixtures.corpus("esp-coredump/esp32.elf").toString();
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", elf, "--strict");
        assertThat(run.status()).isEqualTo(StrictOption.UNTRUSTED);
        String reason = "this ELF is Xtensa code";
        assertThat(run.err().split(Pattern.quote(reason), -1)).as(run.err()).hasSize(2);
        assertThat(run.err()).contains("heapscope: --strict: elf_mismatch: " + elf + " (see the warning above)");
    }

    @Test
    void failOnGrowthSaysWhichSiteGrew() {
        CliRun diff = CliRun.of("diff", CPU0 + "," + CPU1, CPU0, "--fail-on-growth");
        assertThat(diff.status()).isEqualTo(AnalyzeCommand.BUDGET_EXCEEDED);
        assertThat(diff.err()).containsPattern("heapscope: --fail-on-growth: (new|grown): .+: \\d+ -> \\d+ bytes");
    }
}
