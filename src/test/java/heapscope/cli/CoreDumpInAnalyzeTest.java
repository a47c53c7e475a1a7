package heapscope.cli;

import heapscope.Fixtures;
import heapscope.coredump.heap.DramDumps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** analyze puts the crash of a core dump printed in a serial log in its report, symbolized with --elf. */
class CoreDumpInAnalyzeTest {
    @Test
    void theCrashedTaskAndItsStackAreInTheReport(@TempDir Path dir) throws IOException {
        StringBuilder log = new StringBuilder("I (312) cpu_start: Starting scheduler.\n");
        log.append("================= CORE DUMP START =================\n");
        for (String l : Files.readAllLines(Fixtures.corpus("esp-coredump/esp32_coredump.b64"))) {
            log.append(l).append('\n');
        }
        log.append("================= CORE DUMP END =================\n");
        Path file = Files.writeString(dir.resolve("crash.log"), log);
        CliRun r = CliRun.of("analyze", file.toString(), "--elf", Fixtures.corpus("esp-coredump/esp32.elf").toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Crashes (1)",
                "line 2: core dump: abort() was called at PC 0x400d66b9 on core 0; task 'main' (TCB 0x3ffafba0)",
                "panic_abort at /builds/espressif/esp-idf/components/esp_system/panic.c:472",
                "esp_system_abort at /builds/espressif/esp-idf/components/esp_system/port/esp_system_chip.c:93",
                "fail_once at /Users/erhan/dev/esp-coredump/tests/test_apps/main/test_core_dump.c:14",
                "vPortTaskWrapper at /builds/espressif/esp-idf/components/freertos/FreeRTOS-Kernel/portable/xtensa/port.c:134");
    }

    /** A dump that saved DRAM (generated: none is in the corpus) puts the heap at the crash under the crash, in every format. */
    @Test
    void theHeapAtTheCrashIsUnderTheCrashWithTheElf(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("crash.log"), DramDumps.asLog(DramDumps.generate(DramDumps.leakyHeap()).dump()));
        String elf = Fixtures.corpus("esp-coredump/esp32c3.elf").toString();
        CliRun text = CliRun.of("analyze", file.toString(), "--elf", elf);
        assertThat(text.status()).isZero();
        assertThat(text.out()).contains("Crashes (1)",
                "      heap at the crash: 90 blocks allocated (14,724 B), 9 blocks free (8,568 B), the largest free block 4,840 B, in 2 regions",
                "        allocated by size: 85 x 84 B, 1 x 4,096 B, 1 x 2,048 B, 1 x 1,024 B, 1 x 344 B");
        CliRun json = CliRun.of("analyze", file.toString(), "--elf", elf, "--format", "json");
        assertThat(json.out()).contains("\"heap_at_crash\" : {", "\"largest_free_block\" : 4840", "\"trace\" : null");
        CliRun html = CliRun.of("analyze", file.toString(), "--elf", elf, "--format", "html");
        assertThat(html.out()).contains("heap at the crash: 90 blocks allocated (14,724 B)");
        // the committed ELF is the corpus' with its debug sections compressed: another SHA-256, which the report says
        assertThat(text.out()).contains("      (the ELF is not the dump's firmware: the dump names an ELF whose SHA-256 starts with "
                + "7d946a8e8, this one's starts with a08a163e0");
        assertThat(json.out()).contains("\"other_firmware\" : \"the ELF is not the dump's firmware");
        CliRun without = CliRun.of("analyze", file.toString(), "--format", "json");
        assertThat(without.out()).contains("\"heap_at_crash\" : null").doesNotContain("largest_free_block");
    }

    /** The allocation the log reported as failed before the dump is judged against the heap the dump holds. */
    @Test
    void theFailedAllocationBeforeTheDumpIsJudgedAgainstItsHeap(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("crash.log"), "heap_caps_malloc was called but failed to allocate 6000 bytes "
                + "with 0x1800 capabilities.\n" + DramDumps.asLog(DramDumps.generate(DramDumps.leakyHeap()).dump()));
        String elf = Fixtures.corpus("esp-coredump/esp32c3.elf").toString();
        assertThat(CliRun.of("analyze", file.toString(), "--elf", elf).out()).contains("        the failed allocation of 6,000 bytes: "
                + "the 2 regions with its capabilities had 8,568 B free, but no free block larger than 4,840 B: the heap was fragmented");
        assertThat(CliRun.of("analyze", file.toString(), "--elf", elf, "--format", "json").out())
                .contains("\"verdict\" : \"fragmented\"", "\"caps\" : \"0x00001800\"");
    }

    /** The panic handler prints the crash, then writes its core dump: one crash, told twice, counted once. */
    @Test
    void aPrintedCrashAndItsCoreDumpAreOneCrash(@TempDir Path dir) throws IOException {
        StringBuilder log = new StringBuilder("I (312) cpu_start: Starting scheduler.\n\n")
                .append("abort() was called at PC 0x400d66b9 on core 0\n\n\n")
                .append("Backtrace: 0x40081a2e:0x3ffb3c60 0x400875a5:0x3ffb3c80 0x4008cb2a:0x3ffb3ca0 0x400d66b9:0x3ffb3d10\n\n")
                .append("================= CORE DUMP START =================\n");
        for (String l : Files.readAllLines(Fixtures.corpus("esp-coredump/esp32_coredump.b64"))) {
            log.append(l).append('\n');
        }
        log.append("================= CORE DUMP END =================\n");
        // a later boot's crash of its own stays a crash of its own
        log.append("abort() was called at PC 0x400d1234 on core 0\n\nBacktrace: 0x400d1234:0x3ffb3d10\n");
        Path file = Files.writeString(dir.resolve("crash.log"), log);
        CliRun r = CliRun.of("analyze", file.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Crashes (2)",
                "line 8: core dump: abort() was called at PC 0x400d66b9 on core 0; task 'main' (TCB 0x3ffafba0)"
                        + " (the core dump of the crash printed at line 3)");
        assertThat(r.out()).doesNotContain("line 3: abort()");
        CliRun json = CliRun.of("analyze", file.toString(), "--format", "json");
        assertThat(json.out()).contains("\"printed_line\" : 3").contains("\"printed_line\" : null");
    }
}
