package heapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import heapscope.Fixtures;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ColorTest {
    /** An escape that does not start a Select Graphic Rendition sequence (colour, bold, reset). */
    private static final Pattern NOT_SGR = Pattern.compile("\u001b(?!\\[[0-9;]*m)");

    @Test
    void theReportInColourHoldsNothingButSgrSequences() {
        Path example = Fixtures.example("connection");
        String cpu0 = example.resolve("cpu0.svdat").toString();
        String cpu1 = example.resolve("cpu1.svdat").toString();
        CliRun run = CliRun.of("analyze", cpu0, cpu1, "--elf", example.resolve("app.elf").toString(),
                "--cycle", "New connection", "--color", "always");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("\u001b[").doesNotContainPattern(NOT_SGR);
        assertThat(CliRun.of("analyze", cpu0, cpu1, "--color", "never").out()).doesNotContain("\u001b");
    }

    @Test
    void noColorDisablesColourOnlyWhenSetToSomething() {
        assertThat(Common.color(Common.Color.auto, null, null, "xterm", true)).isTrue();
        assertThat(Common.color(Common.Color.auto, null, "", "xterm", true)).isTrue(); // empty: as if unset
        assertThat(Common.color(Common.Color.auto, null, "1", "xterm", true)).isFalse();
        assertThat(Common.color(Common.Color.auto, null, "0", "xterm", true)).isFalse(); // any value, even 0
    }

    @Test
    void theOptionOverridesTheEnvironmentAndAutoNeedsATerminal() {
        assertThat(Common.color(Common.Color.always, null, "1", "dumb", false)).isTrue();
        assertThat(Common.color(Common.Color.never, null, null, "xterm", true)).isFalse();
        assertThat(Common.color(Common.Color.auto, null, null, "xterm", false)).isFalse();
        assertThat(Common.color(Common.Color.auto, null, null, "dumb", true)).isFalse();
        assertThat(Common.color(Common.Color.auto, Path.of("report.txt"), null, "xterm", true)).isFalse();
        assertThat(Common.color(Common.Color.auto, Path.of("-"), null, "xterm", true)).isTrue(); // -o -: standard output
    }
}
