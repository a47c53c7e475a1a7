package heapscope.log;

import heapscope.source.InputException;
import heapscope.trace.Alloc;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** Each message family's clean example decodes to what a reader counts in it, without warnings. */
class FamiliesTest {
    @Test
    void theChipComesFromTheBootloadersTagWhenTheRomPrintsNoBanner() {
        // the original ESP32's ROM prints "ets Jun  8 2016 00:22:57", without the chip's name
        Decoded d = Decoded.of("ets Jun  8 2016 00:22:57\n\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\n"
                + "I (29) boot: ESP-IDF v5.1.2 2nd stage bootloader\n"
                + "I (31) boot.esp32: SPI Speed      : 40MHz\n"
                + "I (1000) main: Free heap: 123456\n");
        assertThat(d.recording().chip()).isEqualTo("esp32");
        assertThat(Decoded.of("I (31) boot.esp32s3: Boot SPI Speed : 80MHz\nI (1000) main: Free heap: 1\n").recording().chip())
                .isEqualTo("esp32s3");
        assertThat(Decoded.of("I (31) boot.esp32x-y: z\nI (1000) main: Free heap: 1\n").recording().chip()).isNull();
    }

    @Test
    void theChipAndWhereItCameFromEachForm() {
        String heap = "I (1000) main: Free heap: 1\n";
        assertThat(chip("ESP-ROM:esp32s3-20210327\nBuild:Mar 27 2021\n" + heap)).isEqualTo("esp32s3 / ROM banner, line 1");
        assertThat(chip("ESP-ROM:esp32c3-api1-20210207\n" + heap)).isEqualTo("esp32c3 / ROM banner, line 1");
        assertThat(chip("\nets Jun  8 2016 00:22:57\n\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\n" + heap))
                .isEqualTo("esp32 / ROM banner, line 2");
        assertThat(chip("ets Jun 8 2016 00:22:57\n" + heap)).isEqualTo("esp32 / ROM banner, line 1"); // blanks collapsed by a paste
        assertThat(chip("ets Jan  8 2013,rst cause:2, boot mode:(3,6)\n" + heap)).isEqualTo("null / null"); // the ESP8266's ROM
        assertThat(chip("I (29) boot: ESP-IDF v5.1.2 2nd stage bootloader\nI (31) boot.esp32c6: SPI Speed      : 80MHz\n" + heap))
                .isEqualTo("esp32c6 / bootloader, line 2");
        // esptool's lines, when the log holds the flashing too (idf.py flash monitor): v4 and v5 wording
        assertThat(chip("Detecting chip type... ESP32-S3\nChip is ESP32-S3 (QFN56) (revision v0.2)\n" + heap)).isEqualTo("esp32s3 / esptool, line 1");
        assertThat(chip("Chip is ESP32-D0WD-V3 (revision v3.0)\n" + heap)).isEqualTo("esp32 / esptool, line 1");
        assertThat(chip("Chip is ESP32-PICO-D4 (revision v1.0)\n" + heap)).isEqualTo("esp32 / esptool, line 1");
        assertThat(chip("Connected to ESP32-C3 on /dev/ttyUSB0:\nChip type:          ESP32-C3 (QFN32) (revision v0.4)\n" + heap))
                .isEqualTo("esp32c3 / esptool, line 1");
        assertThat(chip("Chip type:          ESP32-C61 (revision v1.0)\n" + heap)).isEqualTo("esp32c61 / esptool, line 1");
        assertThat(chip("Chip is ESP32-X9 (revision v0.1)\n" + heap)).isEqualTo("null / null"); // a name not known: no guess
    }

    @Test
    void aLaterLineNamingAnotherChipIsAWarningOnce() {
        Decoded d = Decoded.of("ESP-ROM:esp32s3-20210327\nI (31) boot.esp32: SPI Speed : 40MHz\nI (32) boot.esp32: SPI Mode : DIO\n"
                + "I (33) boot.esp32s3: ok\nI (1000) main: Free heap: 1\n");
        assertThat(d.recording().chip()).isEqualTo("esp32s3");
        assertThat(d.warningLines()).containsExactly(2L);
        assertThat(d.warnings().get(0)).isEqualTo("the bootloader names the chip esp32, but esp32s3 was named before (ROM banner, line 1): "
                + "esp32s3 is used (give --chip to choose)");
    }

    private static String chip(String log) {
        Decoded d = Decoded.of(log);
        assertThat(d.warnings()).isEmpty();
        return d.recording().chip() + " / " + d.recording().chipSource();
    }

    @Test
    void heapInfo() {
        Decoded d = Decoded.of(Families.HEAP_INFO);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free, HeapSample::minFree, HeapSample::largestFree, HeapSample::allocated)
                .containsExactly(tuple("caps 0x00001800 @ 0x3fca81f0", 197676L, 190000L, 196608L, 67852L),
                        tuple("caps 0x00001800 @ 0x3fce9710", 21572L, 21572L, 21504L, 0L),
                        tuple("caps 0x00001800", 219248L, 211572L, 196608L, 67852L));
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void heapInfoRegionsCarryTheirLengthAndBlockCounts() {
        Decoded d = Decoded.of(Families.HEAP_INFO);
        assertThat(d.samples()).extracting(HeapSample::length, HeapSample::allocBlocks, HeapSample::freeBlocks, HeapSample::totalBlocks)
                .containsExactly(tuple(267552L, 63L, 1L, 64L), tuple(22308L, 0L, 1L, 1L), tuple(-1L, -1L, -1L, -1L));
    }

    @Test
    void heapInfoTotalsMissingHeapAreAMissingRegion() {
        // 1 byte more free heap in the totals than in the regions, allocated the same: heap the regions do not list
        Decoded d = Decoded.of(Families.HEAP_INFO.replace("free 219248", "free 219249"));
        assertThat(d.samples()).hasSize(3);
        assertThat(d.warningLines()).containsExactly(7L);
        assertThat(d.warnings().get(0)).contains("a region's lines are missing (1 bytes of heap not listed)");
    }

    @Test
    void heapInfoTotalsOfAHeapThatMovedBetweenTheTwoPassesAreExplained() {
        // 100 bytes went from free to allocated between the regions' walk and heap_caps_get_info's for the totals
        Decoded d = Decoded.of(Families.HEAP_INFO.replace("free 219248 allocated 67852", "free 219148 allocated 67952"));
        assertThat(d.samples()).hasSize(3);
        assertThat(d.warningLines()).containsExactly(7L);
        assertThat(d.warnings().get(0)).contains("100 bytes changed hands between free and allocated").doesNotContain("missing");
    }

    @Test
    void heapInfoBlockCountsThatDoNotAddUpAreWarned() {
        Decoded d = Decoded.of(Families.HEAP_INFO.replace("total_blocks 64", "total_blocks 65"));
        assertThat(d.samples()).hasSize(3);
        assertThat(d.samples().get(0).totalBlocks()).isEqualTo(65);
        assertThat(d.warningLines()).containsExactly(3L);
        assertThat(d.warnings().get(0)).isEqualTo("heap region block counts do not add up: 63 allocated + 1 free != 65 total blocks");
    }

    @Test
    void taskTreeGivesUsagePerTaskAndTheBlocksEachTaskHolds() {
        Decoded d = Decoded.of(Families.TASK_TREE);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::allocated)
                .containsExactly(tuple("task main", 308L), tuple("task leaking_task", 11392L));
        assertThat(d.snapshots()).extracting(Snapshot::boundary).containsExactly(Snapshot.Boundary.START, Snapshot.Boundary.END);
        assertThat(d.allocs()).extracting(Alloc::address, Alloc::size).containsExactly(tuple(0x3fce9800L, 300L), tuple(0x3fce9940L, 8L),
                tuple(0x3fcebbb8L, 6656L), tuple(0x3fced5bcL, 3584L), tuple(0x3fceb718L, 1152L));
        assertThat(d.recording().contexts().get(d.allocs().get(4).context()).name()).isEqualTo("leaking_task");
        assertThat(d.recording().contexts().get(d.allocs().get(0).context()).name()).isEqualTo("main");
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void taskTreeWithALostAllocLineIsFlagged() {
        Decoded d = Decoded.of(Families.TASK_TREE.lines().filter(l -> !l.contains("0x3fced5bc")).map(l -> l + "\n")
                .collect(Collectors.joining()));
        assertThat(d.allocs()).hasSize(4);
        assertThat(d.warningLines()).containsExactly(6L);
        assertThat(d.warnings().get(0)).contains("3 blocks of 11392 bytes announced, 2 blocks of 7808 bytes listed");
    }

    @Test
    void taskOverview() {
        Decoded d = Decoded.of(Families.TASK_BOX);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::allocated)
                .containsExactly(tuple("task main", 308L), tuple("task leaking_task", 11392L));
        assertThat(d.allocs()).isEmpty();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void heapWalkListsUsedBlocksAndSumsEachHeap() {
        Decoded d = Decoded.of(Families.HEAP_WALK);
        assertThat(d.allocs()).extracting(Alloc::address, Alloc::size).containsExactly(tuple(0x3fca8200L, 100L), tuple(0x3fca9220L, 24L));
        assertThat(d.snapshots()).hasSize(2);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free, HeapSample::largestFree, HeapSample::allocated)
                .containsExactly(tuple("heap 0x3fca81f0", 4000L, 4000L, 124L), tuple("heap 0x3fce9710", 21504L, 21504L, 0L));
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void insightsHeapMetrics() {
        Decoded d = Decoded.of(Families.METRICS);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free, HeapSample::largestFree, HeapSample::minFree)
                .containsExactly(tuple("internal", 0x2f000L, 0x1e000L, 0x2a000L), tuple("psram", 0x7e0000L, 0x7c0000L, 0x7d0000L));
        assertThat(d.samples().get(0).timeNs()).isEqualTo(30_000_000_000L);
    }

    @Test
    void freeHeapLines() {
        Decoded d = Decoded.of(Families.FREE_LINES);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free, HeapSample::minFree, HeapSample::largestFree)
                .containsExactly(tuple("default", 123456L, -1L, -1L), tuple("default", 120000L, -1L, -1L),
                        tuple("internal", 45871L, -1L, -1L), tuple("default", 118000L, 100000L, 65536L));
        assertThat(d.samples()).extracting(HeapSample::line).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void linesThatOnlyMentionFreeHeapAreNotSamples() {
        Decoded d = Decoded.of("I (1) app: the free heap is low\nI (2) app: heap_caps_free called\n" + Families.METRICS);
        assertThat(d.samples()).hasSize(2);
    }

    @Test
    void allSixCorruptionForms() {
        Decoded d = Decoded.of(Families.CORRUPTION);
        assertThat(d.corruptions()).extracting(Corruption::kind, Corruption::address).containsExactly(
                tuple("bad head", 0x3ffb4a18L), tuple("bad tail", 0x3ffe04d1L), tuple("invalid data", 0x3ffb5000L),
                tuple("invalid data", 0x3ffb5007L), tuple("bad size", 0x3ffb6000L), tuple("heap assert", 0x3ffe04d8L));
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void xtensaPanicTakesItsBacktraceNotItsRegisters() {
        Decoded d = Decoded.of(Families.CRASH_XTENSA);
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("LoadProhibited");
            assertThat(c.core()).isEqualTo(1);
            assertThat(c.line()).isEqualTo(1);
            assertThat(c.backtrace()).containsExactly(0x400d2c5cL, 0x400d3a19L, 0x40087f2dL);
            assertThat(c.truncated()).isFalse();
        });
        assertThat(d.recording().system()).containsEntry("ELF_SHA256", "0123456789abcdef");
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void riscvPanicWithAStackDumpKeepsMepcAndRa() {
        Decoded d = Decoded.of(Families.CRASH_RISCV);
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("Load access fault");
            assertThat(c.backtrace()).containsExactly(0x42008a5eL, 0x42008a4cL);
            assertThat(c.truncated()).isTrue();
        });
        assertThat(d.recording().system()).containsEntry("ELF_SHA256", "0123456789abcdef");
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void allocationFailureIsAFailedAllocAndACrash() {
        Decoded d = Decoded.of(Families.MEM_FAIL);
        assertThat(d.allocs()).singleElement().satisfies(a -> {
            assertThat(a.failed()).isTrue();
            assertThat(a.size()).isEqualTo(0x1000);
        });
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("Mem alloc fail. size 0x00001000 caps 0x00000804");
            assertThat(c.backtrace()).containsExactly(0x40081a3eL, 0x40087e21L);
            assertThat(c.truncated()).isTrue();
        });
    }

    @Test
    void oldNewlibAssertionAndItsAbortAreOneCrash() {
        Decoded d = Decoded.of("""
                assertion "heap != NULL && \\"free() target pointer is outside heap areas\\"" failed: file "heap_caps.c", line 267, function: heap_caps_free
                abort() was called at PC 0x400d3b2b on core 1

                Backtrace: 0x4008e4b0:0x3ffb8c40 0x4008e6e1:0x3ffb8c60
                """);
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).startsWith("assertion \"heap != NULL");
            assertThat(c.core()).isEqualTo(1);
            assertThat(c.backtrace()).hasSize(2);
        });
    }

    @Test
    void backtraceWithoutAPanicIsNeitherACrashNorAWarning() {
        Decoded d = Decoded.of("Backtrace: 0x40376FA3:0x3FCB2FC0 0x40375FEE:0x3FCB2FE0 |<-CONTINUES\n" + Families.METRICS);
        assertThat(d.crashes()).isEmpty();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void leakTracker() {
        Decoded d = Decoded.of(Families.LEAK_TRACKER);
        assertThat(d.snapshots()).extracting(Snapshot::boundary, Snapshot::kind)
                .containsExactly(tuple(Snapshot.Boundary.START, "leak tracker"), tuple(Snapshot.Boundary.END, "leak tracker"));
        assertThat(d.snapshots().get(1).declared()).satisfies(x -> {
            assertThat(x.records()).isEqualTo(2);
            assertThat(x.aliveBlocks()).isEqualTo(2);
            assertThat(x.aliveBytes()).isEqualTo(336084);
        });
        assertThat(d.allocs()).extracting(Alloc::address, Alloc::size).containsExactly(tuple(0x4809711cL, 336000L), tuple(0x4ff4fb84L, 84L));
        assertThat(d.allocs().get(0).stack()).isZero();
        assertThat(d.recording().noCallersReason())
                .isEqualTo("the leak tracker printed 'not captured - buffer full or not FreeRTOS heap'");
        assertThat(d.recording().stacks().frames(d.allocs().get(1).stack())).containsExactly(0x4ff08bf6L, 0x40008f5cL, 0x4005cb82L);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free)
                .containsExactly(tuple("internal", 387L * 1024), tuple("psram", 32017L * 1024));
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void memoryTracking() {
        Decoded d = Decoded.of(Families.MEM_TRACKING);
        assertThat(d.snapshots()).extracting(Snapshot::boundary).containsExactly(Snapshot.Boundary.START, Snapshot.Boundary.END);
        assertThat(d.allocs()).extracting(Alloc::address, Alloc::size)
                .containsExactly(tuple(0x3ffb8010L, 256L), tuple(0x3ffb8120L, 64L), tuple(0L, 100000L));
        // the failed allocation comes after the listing closed
        assertThat(d.events().indexOf(d.allocs().get(2))).isGreaterThan(d.events().indexOf(d.snapshots().get(1)));
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free)
                .containsExactly(tuple("default", 200000L), tuple("internal", 150000L), tuple("psram", 0L));
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void heapMonitor() {
        Decoded d = Decoded.of(Families.MONITOR);
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free, HeapSample::minFree)
                .containsExactly(tuple("default", 180000L, 170000L)); // the history line repeats the same reading
        assertThat(d.recording().contexts().size()).isGreaterThanOrEqualTo(2);
        assertThat(d.allocs()).extracting(Alloc::address, Alloc::size).containsExactly(tuple(0x3ffd1914L, 16L), tuple(0x3ffd18ccL, 32L));
        assertThat(d.recording().stacks().frames(d.allocs().get(0).stack())).containsExactly(0x4010a09bL, 0x4010a0c6L);
        assertThat(d.recording().stacks().frames(d.allocs().get(1).stack())).containsExactly(0x4010a09bL);
        assertThat(d.snapshots()).hasSize(2);
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void heapMonitorLoneHistoryLineIsASample() {
        Decoded d = Decoded.of("Memoria atual: 170000, Min Ăşltimos 60s: 169000, Max Ăşltimos 60s: 181000\n");
        assertThat(d.samples()).extracting(HeapSample::free).containsExactly(170000L);
    }

    @Test
    void userSampleRegexComesFirstAndTakesItsLabel() {
        Decoded d = Decoded.of("I (5) app: [mem] psram 1000/2000 free heap: 42\n",
                List.of(Pattern.compile("\\[mem\\] (?<label>\\w+) (?<free>\\d+)/(?<allocated>\\d+)")));
        assertThat(d.samples()).extracting(HeapSample::label, HeapSample::free, HeapSample::allocated, HeapSample::minFree)
                .containsExactly(tuple("psram", 1000L, 2000L, -1L));
    }

    @Test
    void userSampleRegexWithoutFigureGroupsIsRejected() {
        Assertions.assertThatThrownBy(() -> Decoded.of("x\n", List.of(Pattern.compile("free (\\d+)"))))
                .isInstanceOf(InputException.class).hasMessageContaining("named groups");
    }

    /** The report as seed 000 shows it: abridged to two of its 18 leaks, so the summary must disagree. */
    @Test
    void leakTrackerSeedExampleIsReadAndItsAbridgementNoticed() {
        Decoded d = Decoded.of("""
                ========================================
                   LEAKED ALLOCATIONS
                ========================================
                Heap trace leak records: 18
                Backtraces captured: 394

                --- LEAK #1 ---
                Address: 0x4809711c (PSRAM)
                Size: 336000 bytes
                Backtrace: (not captured - buffer full or not FreeRTOS heap)

                --- LEAK #4 ---
                Address: 0x4ff4fb84 (Internal)
                Size: 84 bytes
                Backtrace (frame pointer unwinding):
                  0x4ff08bf6:0x40008f5c:0x4005cb82:0x4005cbba:0x400665b2:0x4007bf68
                --- 0x4ff08bf6: xQueueCreateMutex at /home/rich/pixy3/esp-idf-v5.5.1/...
                --- 0x40008f5c: pthread_mutex_init at /home/rich/pixy3/esp-idf-v5.5.1/...
                --- 0x4005cb82: std::__atomic_futex_unsigned::__atomic_futex_unsigned...

                ========================================
                   LEAK SUMMARY
                ========================================
                Total leaks: 18 allocations, 344608 bytes (336.53 KB)
                  Internal RAM: 1 allocations
                  PSRAM: 17 allocations
                  Backtraces found: 1 / 18

                Current heap status:
                  Internal free: 387 KB
                  PSRAM free: 32017 KB
                ========================================
                """);
        assertThat(d.allocs()).extracting(Alloc::address, Alloc::size).containsExactly(tuple(0x4809711cL, 336000L), tuple(0x4ff4fb84L, 84L));
        assertThat(d.recording().stacks().depth(d.allocs().get(1).stack())).isEqualTo(6);
        assertThat(d.samples()).hasSize(2);
        assertThat(d.snapshots().get(1).declared().aliveBlocks()).isEqualTo(18);
        assertThat(d.warningLines()).containsExactly(26L, 24L);
        assertThat(d.warnings().get(0)).contains("17 PSRAM allocations, 1 were decoded");
        assertThat(d.warnings().get(1)).contains("344608 bytes in 18 allocations, but 336084 bytes in 2");
    }

    @Test
    void memoryAllocationFailedIsACrashWithoutASize() {
        Decoded d = Decoded.of("\r\nMemory allocation failed\r\n\r\nBacktrace: 0x40081A3E:0x3FFB3E40 0x40087E21:0x3FFB3E60\r\n");
        assertThat(d.allocs()).isEmpty();
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("Memory allocation failed");
            assertThat(c.backtrace()).containsExactly(0x40081a3eL, 0x40087e21L); // upper-case hex read too
            assertThat(c.line()).isEqualTo(2);
        });
    }

    @Test
    void panicThatCutIntoAnotherLineIsStillRead() {
        Decoded d = Decoded.of("""
                I (1234) phy_init: phGuru Meditation Error: Core  0 panic'ed (IllegalInstruction). Exception was unhandled.
                Backtrace: 0x400d1234:0x3ffb0000 |<-CORRUPTED
                """);
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("IllegalInstruction");
            assertThat(c.backtrace()).containsExactly(0x400d1234L);
            assertThat(c.truncated()).isTrue();
            assertThat(c.timeNs()).isEqualTo(1_234_000_000L);
        });
    }

    @Test
    void aSecondPanicClosesTheFirstWithoutItsBacktrace() {
        Decoded d = Decoded.of("""
                Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.
                Core  0 register dump:
                PC      : 0x400d2c5f  PS      : 0x00060730  A0      : 0x800d3a1c  A1      : 0x3ffb5f30
                Guru Meditation Error: Core  1 panic'ed (Interrupt wdt timeout on CPU1). Exception was unhandled.
                Backtrace: 0x400d1234:0x3ffb0000
                """);
        assertThat(d.crashes()).extracting(Crash::reason, Crash::core, Crash::backtrace).containsExactly(
                tuple("LoadProhibited", 0, List.of(0x400d2c5fL)), tuple("Interrupt wdt timeout on CPU1", 1, List.of(0x400d1234L)));
    }

    @Test
    void preV31GuruMeditationWording() {
        Decoded d = Decoded.of("Guru Meditation Error of type StoreProhibited occurred on core  1. Exception was unhandled.\n"
                + "Backtrace: 0x400d1234:0x3ffb0000 0x400d5678:0x3ffb0020\n");
        assertThat(d.crashes()).extracting(Crash::reason, Crash::core).containsExactly(tuple("StoreProhibited", 1));
    }
}
