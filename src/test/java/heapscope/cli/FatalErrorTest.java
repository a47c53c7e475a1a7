package heapscope.cli;

import heapscope.sim.DistinctStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An Error (here a heap too small for the capture) ends the run in one line on standard error and status 1. */
class FatalErrorTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, List<String> err) {
    }

    private static Run java(String heap, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), "", err.lines().toList());
    }

    @Test
    void outOfMemoryInAnalyzeIsOneLineAndStatusOne() throws Exception {
        Path trace = dir.resolve("stacks.svdat");
        DistinctStacks.write(new DistinctStacks.Spec(600_000, 16, 1), trace); // every block leaked: far beyond 48 MiB
        Run run = java("48m", "analyze", trace.toString(), "--format", "json");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).hasSize(1);
        assertThat(run.err().get(0)).startsWith("heapscope: out of memory (Java heap limit ").contains("-Xmx");
    }

    @Test
    void outOfMemoryOnTheMonitorsAnalysisThreadIsOneLineAndStatusOne() throws Exception {
        Path log = dir.resolve("big.log");
        try (Writer w = Files.newBufferedWriter(log)) {
            DistinctStacks.writeLog(new DistinctStacks.Spec(600_000, 16, 1), w);
        }
        Run run = java("48m", "monitor", log.toString(), "--status", "0", "--color", "never");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).hasSize(1);
        assertThat(run.err().get(0)).startsWith("heapscope: out of memory");
    }
}
