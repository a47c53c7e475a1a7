package heapscope.cli;

import heapscope.Fixtures;
import heapscope.sim.FragmentationScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The text report lists each call stack once, under the one number every part of the report uses for it. */
class TextListingTest {
    private static final Path EXAMPLE = Fixtures.example("connection");

    private static String analyze(String... extra) {
        List<String> args = new ArrayList<>(List.of("analyze", EXAMPLE.resolve("cpu0.svdat").toString(),
                EXAMPLE.resolve("cpu1.svdat").toString(), "--color", "never"));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
        return run.out();
    }

    @Test
    void everyStackOnceWithOneNumbering() {
        String out = analyze("--elf", EXAMPLE.resolve("app.elf").toString(), "--cycle", "New connection");
        // callback_init's call to pthread_mutex_init is in one of the 8 stacks: printed once, not under a site and a group
        assertThat(out.lines().filter(l -> l.contains("0x400000ba: callback_init at"))).hasSize(1);
        assertThat(out.lines().filter(l -> l.matches("#\\d+  .*"))).hasSize(8);
        assertThat(out).doesNotContain("[1]").contains("#1       callback_init at"); // the site table names its stacks' numbers
        // one pattern, two stacks: explained at the first, referred to at the second
        assertThat(out.lines().filter(l -> l.startsWith("    why: pthread_create()"))).hasSize(1);
        assertThat(out).contains("known leak: Thread never joined or detached (pthread_create)  (why and fix: #5)");
        String[] parts = out.split("\nWhat held the memory\n");
        assertThat(parts[0].lines().count()).as("the leaks").isLessThan(130);
        assertThat(parts[1].lines().takeWhile(l -> !l.isEmpty()).count()).as("what held the memory: tables of at most 10 rows").isLessThan(50);
    }

    @Test
    void withoutNamesOneHintLine() {
        String out = analyze();
        assertThat(out.lines().filter(l -> l.contains("--elf"))).singleElement().asString().contains("addresses only");
    }

    @Test
    void aDumpWithoutTaskDataSaysNothingAboutTheContext() {
        CliRun run = CliRun.of("analyze", Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt").toString(),
                "--blocks", "--color", "never");
        assertThat(run.out()).doesNotContain("unknown context").doesNotContain("[unknown]")
                .contains("#1  32 B in 2 blocks of 16 B  core 1  at 0.000 s")
                .contains("HEAP: Allocated 16 bytes @ 0x3ffd1914 on core 1 by: 0x4010a09b:0x4010a0c6");
    }

    @Test
    void theEventListingOfADumpSaysNothingAboutTheContextEither() {
        CliRun run = CliRun.of("events", Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt").toString());
        assertThat(run.out()).doesNotContain("unknown context").contains("[0.000000000] core 1: alloc 16 bytes @ 0x3ffd1914 by 0x4010a09b:0x4010a0c6");
        CliRun traced = CliRun.of("events", EXAMPLE.resolve("cpu0.svdat").toString());
        assertThat(traced.out()).contains("] core 0 task \"webrtc\": alloc 4096 bytes @ 0x4ff40000");
    }

    @Test
    void aFragmentationHeadlineOfALogWithoutTimesGivesNoTime(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("untimed.log");
        Files.writeString(log, FragmentationScenario.heapInfo(0, 60_000, 4096).replaceAll("I \\(0\\) app: heap\n", "")
                + "Failed to allocate 8192 bytes for heap_caps_malloc in app_main at main/app.c:20\n");
        CliRun run = CliRun.of("analyze", log.toString(), "--color", "never");
        assertThat(run.out()).contains("the first, 8,192 bytes, when caps 0x00000004 had 60,000 bytes free");
    }
}
