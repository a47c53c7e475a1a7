package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.coredump.CoreDumpText;
import heapscope.coredump.heap.DramDumps;
import heapscope.coredump.heap.TraceDumps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CoreDumpCommandTest {
    private static String corpus(String name) {
        return Fixtures.corpus("esp-coredump/" + name).toString();
    }

    @Test
    void printsTheCrashTheTasksAndTheRegions() {
        CliRun r = CliRun.of("coredump", corpus("esp32_coredump.b64"), "--elf", corpus("esp32.elf"));
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Crashed task handle: 0x3ffafba0, name: 'main'",
                "Crashed task is not in the interrupt context",
                "Panic reason: abort() was called at PC 0x400d66b9 on core 0",
                "exccause       0x1d (StoreProhibitedCause)",
                "#3  0x400d66bc in fail_once at ",
                "0x3ffaf354             ipc0    24/24          448/560",
                ".coredump.tasks.data 0x3ffafba0 0x154 RW ");
    }

    @Test
    void printsTheHeapAtTheCrashFromADumpThatSavedDram(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("crash.log"), DramDumps.asLog(DramDumps.generate(DramDumps.leakyHeap()).dump()));
        CliRun r = CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"));
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Crashed task handle: 0x3fc8ec30, name: 'main'",
                "======================= HEAP AT THE CRASH =========================",
                "From the symbol registered_heaps and DWARF types struct heap_t_",
                "0x3fc90000-0x3fc94000 0x180e/0x1/0x0");
        assertThat(r.out()).containsPattern("\\n        84       85        7,140\\n");
        assertThat(r.out()).doesNotContain("warning: heap");
    }

    /**
     * The fixture heap-poisoning.elf declares the real firmware's heap layouts with poisoning and task tracking; it is
     * not the dump's firmware, which the report says, but the tasks' names come from the dump's TCBs.
     */
    @Test
    void underHeapPoisoningTheLiveSetIsByTaskAndBySizeAskedFor(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("crash.log"), DramDumps.asLog(DramDumps.generate(DramDumps.leakyHeap(), true).dump()));
        CliRun r = CliRun.of("coredump", log.toString(), "--elf", "src/test/resources/coredump/heap-poisoning.elf");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("warning: the ELF is not the dump's firmware",
                "(with heap poisoning's poison_head_t)",
                "Allocated blocks by size, the largest total first (sizes as asked for, from heap poisoning's headers):",
                "     6,448       29  esp_timer (TCB 0x3fc8da94)",
                "     3,532       31  main (TCB 0x3fc8ec30)");
    }

    @Test
    void saysWhetherTheFailedAllocationMetAFullOrAFragmentedHeap(@TempDir Path dir) throws IOException {
        String dump = DramDumps.asLog(DramDumps.generate(DramDumps.leakyHeap()).dump());
        for (String[] c : new String[][] {{"6000", "6,000", "had 8,568 B free, but no free block larger than 4,840 B: the heap was fragmented"},
                {"9000", "9,000", "had 8,568 B free in all: the heap was exhausted"}}) {
            Path log = Files.writeString(dir.resolve("crash-" + c[0] + ".log"), "I (900) app: connecting\n"
                    + "heap_caps_malloc was called but failed to allocate " + c[0] + " bytes with 0x1800 capabilities.\n"
                    + "abort() was called at PC 0x42009351 on core 0\n" + dump);
            CliRun r = CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"));
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("The allocation that failed: " + c[1] + " bytes with capabilities 0x1800 (line 2 of the log)",
                    "The failed allocation of " + c[1] + " bytes: the 2 regions with its capabilities " + c[2]);
        }
    }

    @Test
    void printsTheStandaloneHeapTraceAtTheCrashBySite(@TempDir Path dir) throws IOException {
        Path dump = Files.write(dir.resolve("core.elf"), TraceDumps.dump(TraceDumps.generate(true)));
        CliRun r = CliRun.of("coredump", dump.toString(), "--elf", TraceDumps.ELF.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("warning: heap trace: the record buffer overflowed",
                "==================== HEAP TRACE AT THE CRASH ======================",
                "Standalone heap trace in HEAP_TRACE_LEAKS mode, tracing on: 9 records of 32 (high water mark 10); "
                        + "17 allocations and 8 frees traced since heap_trace_start()",
                "       672        8  session_new at /project/app.c:40, from on_new_connection <- app_main",
                "       512        1  read_config at /project/app.c:50, from app_main",
                "  0x3fc90000      512 B  core 0  read_config at /project/app.c:50, from app_main");
        assertThat(r.out().indexOf("warning: heap trace")).isLessThan(r.out().indexOf("CURRENT THREAD"));
    }

    @Test
    void jsonHasTheCrashEveryTaskAndTheHeapForScripts(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("crash.log"), "heap_caps_malloc was called but failed to allocate 6000 bytes "
                + "with 0x1800 capabilities.\n" + DramDumps.asLog(DramDumps.generate(DramDumps.leakyHeap()).dump()));
        CliRun r = CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"), "--format", "json");
        assertThat(r.status()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("schema").asText()).isEqualTo("heapscope/core-dump/1");
        assertThat(j.at("/crash/task").asText()).isEqualTo("main");
        assertThat(j.at("/crash/panic_reason").asText()).isEqualTo("abort() was called at PC 0x42009351 on core 0");
        assertThat(j.at("/crash/failed_allocation/line").asInt()).isEqualTo(1);
        assertThat(j.get("tasks")).hasSize(3);
        assertThat(j.at("/tasks/0/backtrace/0/frames/0/function").asText()).isEqualTo("panic_abort");
        assertThat(j.at("/heap_at_crash/regions")).hasSize(2);
        assertThat(j.at("/heap_at_crash/allocated_by_size/0/size").asInt()).isEqualTo(84);
        assertThat(j.at("/heap_at_crash/allocated_by_size/0/blocks").asInt()).isEqualTo(85);
        assertThat(j.at("/heap_at_crash/failed_allocation/verdict").asText()).isEqualTo("fragmented");
        CliRun plain = CliRun.of("coredump", corpus("esp32c3_coredump.b64"), "--elf", corpus("esp32c3.elf"), "--format", "json");
        assertThat(new ObjectMapper().readTree(plain.out()).get("heap_at_crash").isNull()).isTrue();
        assertThat(CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"), "--format", "xml").status()).isEqualTo(2);
    }

    /** A device that crashed twice: the first dump by default, with a warning naming both; --dump picks another. */
    @Test
    void aLogOfSeveralDumpsSaysSoAndDumpPicksOne(@TempDir Path dir) throws IOException {
        Path real = Fixtures.corpus("esp-coredump/esp32c3_coredump.b64");
        String plain = DramDumps.asLog(CoreDumpText.find(real, Files.readAllBytes(real)).bytes());
        String withHeap = DramDumps.asLog(DramDumps.generate(DramDumps.leakyHeap()).dump());
        Path log = Files.writeString(dir.resolve("twice.log"), plain + withHeap);
        CliRun first = CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"));
        assertThat(first.status()).isZero();
        assertThat(first.err()).contains("twice.log: it holds 2 core dumps (at lines 3, ").contains("this is number 1, at line 3");
        assertThat(first.out()).contains("Not read: the dump does not hold registered_heaps");
        CliRun last = CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"), "--dump", "last");
        assertThat(last.err()).contains("this is number 2");
        assertThat(last.out()).contains("Total: 90 blocks allocated (14,724 B)");
        assertThat(CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"), "--dump", "2").out()).contains("Total: 90 blocks");
        CliRun third = CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"), "--dump", "3");
        assertThat(third.status()).isEqualTo(2);
        assertThat(third.err().strip()).doesNotContain("\n").endsWith("twice.log: --dump 3: it holds 2 core dumps");
        assertThat(CliRun.of("coredump", log.toString(), "--elf", corpus("esp32c3.elf"), "--dump", "x").status()).isEqualTo(2);
    }

    @Test
    void aDumpWithoutDramSaysWhyItShowsNoHeap() {
        CliRun r = CliRun.of("coredump", corpus("esp32c3_coredump.b64"), "--elf", corpus("esp32c3.elf"));
        assertThat(r.out()).contains("Not read: the dump does not hold registered_heaps (0x3fc8bbb0), so not the heap "
                + "either: the firmware saves DRAM only with CONFIG_ESP_COREDUMP_CAPTURE_DRAM.");
    }

    @Test
    void badInputIsOneLineAndStatusTwo(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[] {0x10, 0, 0, 0, 0x77, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        CliRun r = CliRun.of("coredump", junk.toString(), "--elf", corpus("esp32.elf"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("junk.bin: byte offset 4 (0x4): unknown core dump version 0x7777");
        CliRun missing = CliRun.of("coredump", dir.resolve("nothing").toString(), "--elf", corpus("esp32.elf"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }
}
