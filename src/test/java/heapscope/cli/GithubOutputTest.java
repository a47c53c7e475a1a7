package heapscope.cli;

import heapscope.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --format github}: workflow-command annotations on the leaking sites' source lines, after the capture's
 * conditions and the failed budgets.
 */
class GithubOutputTest {
    private static final String CPU0 = Fixtures.example("connection/cpu0.svdat").toString();
    private static final String CPU1 = Fixtures.example("connection/cpu1.svdat").toString();
    private static final String ELF = Fixtures.example("connection/app.elf").toString();

    @Test
    void aFailedBudgetComesFirstThenEachSiteOnItsLine() {
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--cycle", "New connection", "--max-leak-per-cycle", "0",
                "--source-root", "/project", "--format", "github");
        assertThat(run.status()).as(run.err()).isEqualTo(AnalyzeCommand.BUDGET_EXCEEDED);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(9).allSatisfy(l -> assertThat(l).matches("::(error|warning|notice) .*::.*"));
        assertThat(lines.get(0)).isEqualTo("::error title=heapscope%3A budget max-leak-per-cycle exceeded::8628 bytes per cycle over 10 cycles (budget 0)");
        assertThat(lines.get(1)).startsWith("::error file=components/webrtc/peer_connection.c,line=8,"
                + "title=Known leak%3A FreeRTOS mutex never deleted (pthread_mutex_init / std%3A%3Amutex)::64,512 bytes in 768 blocks");
        // the site that leaked once, at start-up, is no part of the per-cycle budget
        assertThat(lines).contains("::warning file=main/app_main.c,line=16,title=Heap leak in app_init::"
                + "4,096 bytes in 1 block of 4.00 KiB allocated in app_init (main) and never freed");
    }

    @TempDir
    Path dir;

    @Test
    void aCaptureNamedToForgeACommandStaysInItsOwn() throws IOException {
        // the missing core's headline names the input as given: a line break, %, : and , in it cannot make a command
        Path capture = dir.resolve("cap 50%0A, x:y\n::error::forged.svdat");
        Files.copy(Path.of(CPU0), capture);
        CliRun github = CliRun.of("analyze", capture.toString(), "--format", "github");
        assertThat(github.status()).as(github.err()).isZero();
        List<String> lines = github.out().lines().toList();
        assertThat(lines).noneMatch(l -> l.startsWith("::error::forged"));
        assertThat(lines.get(0)).startsWith("::warning title=heapscope%3A missing_core::Incomplete: ")
                .contains("cap 50%250A, x:y\\n::error::forged.svdat: core 1's stream is missing");
        CliRun gcc = CliRun.of("analyze", capture.toString(), "--format", "gcc");
        assertThat(gcc.out().lines().toList()).hasSameSizeAs(lines).first().asString()
                .startsWith("heapscope: warning: Incomplete: ").contains("x:y\\n::error::forged.svdat");
    }

    @Test
    void anIncompleteCaptureIsTheFirstLine() {
        CliRun run = CliRun.of("analyze", CPU0, "--elf", ELF, "--format", "github");
        assertThat(run.status()).as(run.err()).isZero();
        String first = run.out().lines().findFirst().orElseThrow();
        assertThat(first).startsWith("::warning title=heapscope%3A missing_core::Incomplete: " + CPU0 + ": core 1's stream is missing");
        assertThat(run.out().lines().skip(1)).allSatisfy(l -> assertThat(l).startsWith("::warning file=/project/"));
    }
}
