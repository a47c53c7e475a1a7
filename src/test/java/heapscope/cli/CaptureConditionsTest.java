package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A capture that is partial, or an ELF that is not its firmware, is said before the figures in every format: a
 * missing core's stream, a heap trace dump whose record buffer is full, the wrong ELF.
 */
class CaptureConditionsTest {
    private static final String CPU0 = Fixtures.example("connection/cpu0.svdat").toString();
    private static final String CPU1 = Fixtures.example("connection/cpu1.svdat").toString();
    private static final String APP_ELF = Fixtures.example("connection/app.elf").toString();
    private static final String ESP32_0 = Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString();
    private static final String ESP32_1 = Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString();
    private static final String XTENSA_ELF = Fixtures.resource("elf/xtensa-O2-dwarf4.elf").toString(); // another firmware
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(String... args) throws IOException {
        CliRun run = CliRun.of(args);
        assertThat(run.status()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private static List<String> kinds(JsonNode report) {
        return report.get("conditions").findValuesAsText("kind");
    }

    @Test
    void aTwoCoreChipWithOneStreamSaysTheOtherCoreIsMissingBeforeItsFigures() throws IOException {
        CliRun run = CliRun.of("analyze", CPU0, "--color", "never");
        assertThat(run.status()).isZero();
        String out = run.out();
        int missing = out.indexOf("Incomplete: " + CPU0 + ": core 1's stream is missing (the esp32p4 has 2 cores");
        assertThat(missing).as(out).isPositive().isLessThan(out.indexOf("Found 233855 leaked bytes"));
        assertThat(out).contains("frees on core 1 are unseen, so leaks are over-counted")
                .contains("target   esp32p4 (SystemView header), 2 cores (1 traced)").doesNotContain(" 1 core,");
        JsonNode report = json("analyze", CPU0, "--format", "json");
        assertThat(report.at("/capture/complete").asBoolean()).isFalse();
        assertThat(kinds(report)).containsExactly("missing_core");
        assertThat(report.at("/conditions/0/effect").asText()).isEqualTo("incomplete");
        assertThat(report.at("/target/cores").asInt()).isEqualTo(2);
        assertThat(report.at("/target/traced_cores").asInt()).isEqualTo(1);
        // Espressif's own ESP32 recording, one of its two files
        assertThat(CliRun.of("analyze", ESP32_0).out()).contains("core 1's stream is missing (the esp32 has 2 cores");
        // both streams: nothing missing
        JsonNode both = json("analyze", CPU0, CPU1, "--format", "json");
        assertThat(both.at("/capture/complete").asBoolean()).isTrue();
        assertThat(both.get("conditions")).isEmpty();
        assertThat(both.at("/target/traced_cores").asInt()).isEqualTo(2);
        assertThat(CliRun.of("analyze", CPU0, CPU1, "--color", "never").out()).contains("esp32p4 (SystemView header), 2 cores, CPU")
                .doesNotContain("Incomplete");
    }

    @Test
    void theMissingCoreIsInTheHtmlAndJUnitHeadlinesToo() throws IOException {
        Path html = dir.resolve("r.html");
        Path junit = dir.resolve("r.xml");
        assertThat(CliRun.of("analyze", CPU0, "--format", "html", "-o", html.toString(), "--junit", junit.toString()).status())
                .isZero();
        assertThat(Files.readString(html)).contains("<p class=\"warning\">Incomplete: " + CPU0 + ": core 1&#39;s stream is missing")
                .contains("2 cores (1 traced)");
        assertThat(Files.readString(junit)).contains("<property name=\"heapscope.missing_core\" value=\"Incomplete: " + CPU0)
                .contains("<system-err>Incomplete: ");
        Path clean = dir.resolve("clean.xml");
        CliRun.of("analyze", CPU0, CPU1, "--junit", clean.toString());
        // the schema wants properties and system-err in every suite: a clean capture's have no condition in them
        assertThat(Files.readString(clean)).doesNotContain("Incomplete").doesNotContain("heapscope.missing_core")
                .contains("<system-err></system-err>");
    }

    /** ESP-IDF v5.1+ heap_trace_standalone.c output, the buffer full and overflowed. */
    private static final String V5_FULL = """
            I (312) main_task: Calling app_main()
            ====== Heap Trace: 3 records (3 capacity) ======
                64 bytes (@ 0x3fc9a1b0, Internal) allocated CPU 0 ccount 0x1a2b3c4d caller 0x42008a2e:0x4200b12f
                32 bytes (@ 0x3fc9a200, Internal) allocated CPU 0 ccount 0x1a2b3d4d caller 0x42008a2e:0x4200b12f
                96 bytes (@ 0x3fc9a300, Internal) allocated CPU 1 ccount 0x1a2b3e4d caller 0x42008b2e:0x4200b12f
            ====== Heap Trace Summary ======
            Mode: Heap Trace Leaks
            192 bytes 'leaked' in trace (3 allocations)
            records: 3 (3 capacity, 3 high water mark)
            hashmap: 250 capacity (2 hits, 1 misses)
            total allocations: 9
            total frees: 2
            %s================================
            """;

    /** ESP-IDF v4.4 output: its notes follow the totals line, the dump's last. */
    private static final String V4_OVERFLOWED = """
            I (312) cpu_start: Starting scheduler on PRO CPU.
            3 allocations trace (100 entry buffer)
            64 bytes (@ 0x3ffb1000) allocated CPU 0 ccount 0x12345678 caller 0x400d1234:0x400d5678
            32 bytes (@ 0x3ffb2000) allocated CPU 0 ccount 0x12345778 caller 0x400d1234:0x400d5678
            96 bytes (@ 0x3ffb3000) allocated CPU 1 ccount 0x12345878 caller 0x400d1334:0x400d5678
            192 bytes 'leaked' in trace (3 allocations)
            total allocations 9 total frees 2
            (NB: Buffer has overflowed, so trace data is incomplete.)
            I (400) main: done
            """;

    @Test
    void aDumpWhoseRecordBufferIsFullIsPartialInEveryFormat() throws IOException {
        Path overflowed = Files.writeString(dir.resolve("v5.log"),
                V5_FULL.formatted("(NB: Internal Buffer has overflowed, so trace data is incomplete.)\n"));
        CliRun text = CliRun.of("analyze", overflowed.toString(), "--color", "never");
        assertThat(text.out().indexOf("Incomplete: " + overflowed + ": the heap trace dump at line 2 says its record buffer"
                + " overflowed: the device dropped its oldest records (at least 4)")).as(text.out()).isPositive()
                .isLessThan(text.out().indexOf("Found 192 leaked bytes"));
        assertThat(text.out()).contains("Give heap_trace_init_standalone() a larger record array (more than 3 records)");
        JsonNode report = json("analyze", overflowed.toString(), "--format", "json");
        assertThat(report.at("/capture/complete").asBoolean()).isFalse();
        assertThat(kinds(report)).containsExactly("full_record_buffer");
        assertThat(report.at("/diagnostics/overflows").asInt()).isEqualTo(1);
        assertThat(report.at("/diagnostics/dropped_events").asInt()).isEqualTo(9 - 2 - 3); // allocated, not freed, not listed
        assertThat(report.at("/snapshots/0/declared/overflowed").asBoolean()).isTrue();

        // records == capacity without the note: full all the same
        Path full = Files.writeString(dir.resolve("full.log"), V5_FULL.formatted(""));
        JsonNode fullReport = json("analyze", full.toString(), "--format", "json");
        assertThat(fullReport.at("/capture/complete").asBoolean()).isFalse();
        assertThat(fullReport.at("/conditions/0/reason").asText()).contains("fills its record buffer (3 of 3 records)");

        // the same dump with room left is complete
        Path room = Files.writeString(dir.resolve("room.log"), V5_FULL.formatted("")
                .replace("3 records (3 capacity)", "3 records (100 capacity)").replace("3 (3 capacity", "3 (100 capacity"));
        JsonNode roomReport = json("analyze", room.toString(), "--format", "json");
        assertThat(roomReport.at("/capture/complete").asBoolean()).isTrue();
        assertThat(roomReport.at("/diagnostics/overflows").asInt()).isZero();

        Path html = dir.resolve("r.html");
        CliRun.of("analyze", overflowed.toString(), "--format", "html", "-o", html.toString());
        assertThat(Files.readString(html)).contains("<p class=\"warning\">Incomplete: " + overflowed + ": the heap trace dump");
    }

    @Test
    void anOverflowNoteAfterAnOldDumpsTotalsCounts() throws IOException {
        Path log = Files.writeString(dir.resolve("v4.log"), V4_OVERFLOWED);
        JsonNode report = json("analyze", log.toString(), "--format", "json");
        assertThat(report.at("/capture/complete").asBoolean()).isFalse();
        assertThat(report.at("/conditions/0/reason").asText()).contains("the heap trace dump at line 2 says its record buffer overflowed");
        assertThat(report.at("/diagnostics/overflows").asInt()).isEqualTo(1);
        assertThat(report.at("/summary/leaked_blocks").asInt()).isEqualTo(3);
    }

    @Test
    void anElfOfAnotherFirmwareIsSaidOnStandardErrorInTheJsonAndItsNamesAreNotUsed() throws IOException {
        for (List<String> capture : List.of(List.of(CPU0, CPU1, XTENSA_ELF), List.of(ESP32_0, ESP32_1, APP_ELF))) {
            String elf = capture.get(2);
            CliRun text = CliRun.of("analyze", capture.get(0), capture.get(1), "--elf", elf, "--color", "never");
            assertThat(text.status()).isZero();
            assertThat(text.err()).contains("heapscope: warning: ELF mismatch: " + elf + ": this ELF is")
                    .contains("raw addresses");
            String out = text.out();
            assertThat(out.indexOf("ELF mismatch: " + elf)).isPositive().isLessThan(out.indexOf("leaked bytes in"));
            // frames stay raw addresses: no breakdown by a bogus site, no "??" of a lookup in the wrong ELF
            assertThat(out).doesNotContain("Leak breakdown by allocation site").doesNotContain("(no symbol)")
                    .doesNotContain("not in the ELF");
            CliRun jsonRun = CliRun.of("analyze", capture.get(0), capture.get(1), "--elf", elf, "--format", "json");
            assertThat(jsonRun.err()).contains("ELF mismatch");
            JsonNode report = JSON.readTree(jsonRun.out());
            assertThat(report.get("elf_mismatch").asBoolean()).isTrue();
            assertThat(kinds(report)).contains("elf_mismatch");
            assertThat(report.at("/conditions/0/source").asText()).isEqualTo(elf);
            assertThat(report.get("sites").isNull()).isTrue();
            assertThat(report.at("/groups/0/frames").isMissingNode()).isTrue();
            assertThat(report.at("/capture/complete").asBoolean()).isTrue(); // the capture itself is whole
        }
        JsonNode matching = json("analyze", CPU0, CPU1, "--elf", APP_ELF, "--format", "json");
        assertThat(matching.get("elf_mismatch").asBoolean()).isFalse();
        assertThat(matching.get("sites").isNull()).isFalse();
        assertThat(CliRun.of("analyze", CPU0, CPU1, "--elf", APP_ELF).err()).isEmpty();
    }

    @Test
    void anotherBuildAtTheSameAddressesIsToldByItsCode() throws IOException {
        // the example firmware with other code at the same addresses (every instruction a c.nop), no SHA in the capture
        byte[] bytes = Files.readAllBytes(Path.of(APP_ELF));
        ElfSection text = ElfFile.parse(Path.of(APP_ELF), ByteBuffer.wrap(bytes)).section(".text").orElseThrow();
        for (long i = text.offset(); i + 1 < text.offset() + text.size(); i += 2) {
            bytes[(int) i] = 0x01;
            bytes[(int) i + 1] = 0x00;
        }
        Path other = Files.write(dir.resolve("other-build.elf"), bytes);
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", other.toString(), "--format", "json");
        assertThat(run.err()).contains("ELF mismatch: " + other + ": only 0 of the capture's 26 return addresses in this"
                + " ELF's code follow a call instruction");
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("elf_mismatch").asBoolean()).isTrue();
        assertThat(report.get("sites").isNull()).isTrue();
        assertThat(CliRun.of("analyze", CPU0, CPU1, "--elf", APP_ELF).err()).doesNotContain("follow a call");
    }

    @Test
    void theWrongElfIsInTheHtmlAndJUnitHeadlines() throws IOException {
        Path html = dir.resolve("r.html");
        Path junit = dir.resolve("r.xml");
        CliRun.of("analyze", CPU0, CPU1, "--elf", XTENSA_ELF, "--format", "html", "-o", html.toString(), "--junit", junit.toString());
        assertThat(Files.readString(html)).contains("<p class=\"warning elf-mismatch\">ELF mismatch: ");
        assertThat(Files.readString(junit)).contains("<property name=\"heapscope.elf_mismatch\" value=\"ELF mismatch: ");
    }
}
