package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.symbols.ElfDigest;
import heapscope.sysview.SvWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw SystemView stream (UART, USB-Serial-JTAG: no OpenOCD header) read by every command that reads captures, with
 * --heap-events, lost bytes and the v6 ELF digest said in every format.
 */
class RawStreamCliTest {
    private static final Path ELF = Fixtures.resource("elf/xtensa-O2-dwarf4.elf");
    private static final long[] CALLERS = {0x4008005cL, 0x40000400L};

    @TempDir
    Path dir;

    /** An ESP32 stream as the UART link carries it: two leaks, one block freed; the ELF digest if given. */
    private Path stream(String elfSha, boolean lose) throws IOException {
        return stream(elfSha, lose, false);
    }

    /** With {@code leakAfter}, one more 32-byte block leaks after the loss (or where it would be). */
    private Path stream(String elfSha, boolean lose, boolean leakAfter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SvWriter w = SvWriter.raw(out, 0, SvWriter.UART_MESSAGE_SIZE);
        w.start();
        w.traceStart(0, 0);
        w.init(0, 1_000_000, 160_000_000, 0x3F400000L, 0, 10);
        w.sysdesc(0, "N=FreeRTOS Application,D=esp32,C=core0,O=FreeRTOS", 10);
        if (elfSha != null) {
            w.sysdesc(0, "ELF_SHA256=" + elfSha, 10);
        }
        w.taskInfo(0, 0x100, 5, "main", 10);
        w.taskStartExec(0, 0x100, 10);
        for (int i = 0; i < 3; i++) {
            w.heapAlloc(0, 512, 0x3FFB1000L + 64L * i, 48, CALLERS, 2, 4, 100);
        }
        int before = out.size();
        w.heapFree(0, 512, 0x3FFB1000L, CALLERS, 2, 4, 100);
        for (int i = 0; i < 4; i++) {
            w.heapAlloc(0, 512, 0x3FFB2000L + 64L * i, 16, CALLERS, 2, 4, 100);
            w.heapFree(0, 512, 0x3FFB2000L + 64L * i, CALLERS, 2, 4, 100);
        }
        if (leakAfter) {
            w.heapAlloc(0, 512, 0x3FFB3000L, 32, CALLERS, 2, 4, 100);
        }
        w.traceStop(0, 10);
        byte[] bytes = out.toByteArray();
        if (lose) { // the free of the first block and the start of the next packet
            ByteArrayOutputStream cut = new ByteArrayOutputStream();
            cut.write(bytes, 0, before + 3);
            cut.write(bytes, before + 20, bytes.length - before - 20);
            bytes = cut.toByteArray();
        }
        return Files.write(dir.resolve((lose ? "lossy" : "uart") + (leakAfter ? "-after" : "") + ".svdat"), bytes);
    }

    @Test
    void analyzeEventsExportAndDiffReadARawStream() throws IOException {
        String raw = stream(null, false).toString();
        CliRun analyze = CliRun.of("analyze", raw, "--color", "never");
        assertThat(analyze.status()).as(analyze.err()).isZero();
        assertThat(analyze.out()).contains("SystemView raw stream (UART or USB-Serial-JTAG)").contains("Found 96 leaked bytes in 2 blocks")
                .contains("core ?").doesNotContain("Incomplete");
        assertThat(analyze.out()).contains("heap events taken at ids 512/513"); // in the report's diagnostics
        assertThat(CliRun.of("events", raw).err()).contains("heap events taken at ids 512/513");
        JsonNode json = new ObjectMapper().readTree(CliRun.of("analyze", raw, "--format", "json").out());
        assertThat(json.at("/leaks/0/core").isNull()).isTrue();
        assertThat(json.at("/capture/complete").asBoolean()).isTrue();
        CliRun events = CliRun.of("events", raw);
        assertThat(events.status()).isZero();
        assertThat(events.out().lines().filter(l -> l.contains("alloc")).count()).isEqualTo(7);
        assertThat(events.out()).contains("core ?");
        assertThat(CliRun.of("export", raw, "--format", "folded").status()).isZero();
        CliRun diff = CliRun.of("diff", raw, raw);
        assertThat(diff.status()).as(diff.err()).isZero();
        // the heap events elsewhere: nothing decodes as heap
        CliRun moved = CliRun.of("analyze", raw, "--heap-events", "514", "--format", "json");
        assertThat(new ObjectMapper().readTree(moved.out()).at("/capture/heap_events").asLong()).isZero();
        assertThat(CliRun.of("analyze", raw, "--heap-events", "12").status()).isEqualTo(2);
    }

    @Test
    void lostBytesMakeTheCaptureIncompleteInEveryFormat() throws IOException {
        String lossy = stream(null, true).toString();
        CliRun text = CliRun.of("analyze", lossy, "--color", "never");
        assertThat(text.status()).isZero();
        assertThat(text.out()).contains("Incomplete: " + lossy + ": data was lost in 1 place").contains("a leak allocated before the "
                + "last loss (at 0.000340 s) is uncertain").contains("; of the leaks, none was allocated after it.");
        JsonNode json = new ObjectMapper().readTree(CliRun.of("analyze", lossy, "--format", "json").out());
        assertThat(json.at("/capture/complete").asBoolean()).isFalse();
        assertThat(json.get("conditions").findValuesAsText("kind")).contains("lost_bytes");
        Path html = dir.resolve("r.html");
        Path junit = dir.resolve("r.xml");
        CliRun.of("analyze", lossy, "--format", "html", "-o", html.toString(), "--junit", junit.toString());
        assertThat(Files.readString(html)).contains("Incomplete: " + lossy + ": data was lost");
        assertThat(Files.readString(junit)).contains("heapscope.lost_bytes");
        assertThat(CliRun.of("analyze", lossy, "--strict").status()).isEqualTo(2);
    }

    /** Only a block allocated before the last loss can have lost its free there: the later ones are certain leaks. */
    @Test
    void leaksAllocatedAfterTheLastLossAreCertainInEveryFormat() throws IOException {
        String lossy = stream(null, true, true).toString();
        String certain = "; of the leaks, the 32 bytes in 1 block allocated after it are certain. ";
        CliRun text = CliRun.of("analyze", lossy, "--color", "never");
        assertThat(text.out()).contains("Found 176 leaked bytes in 4 blocks").contains(certain);
        JsonNode json = new ObjectMapper().readTree(CliRun.of("analyze", lossy, "--format", "json").out());
        assertThat(json.get("conditions").get(0).get("reason").asText()).endsWith(certain.substring(0, certain.length() - 2));
        Path html = dir.resolve("after.html");
        CliRun.of("analyze", lossy, "--format", "html", "-o", html.toString());
        assertThat(Files.readString(html)).contains("the 32 bytes in 1 block allocated after it are certain");
    }

    @Test
    void theElfDigestOfTheSystemDescriptionChecksTheElfInEveryFormat() throws IOException {
        String wrong = stream("0123456789abcdef", false).toString();
        CliRun text = CliRun.of("analyze", wrong, "--elf", ELF.toString(), "--color", "never");
        assertThat(text.out()).contains("ELF mismatch: ").contains("(ELF SHA256 0123456789abcdef)");
        JsonNode json = new ObjectMapper().readTree(CliRun.of("analyze", wrong, "--elf", ELF.toString(), "--format", "json").out());
        assertThat(json.get("conditions").findValuesAsText("kind")).contains("elf_mismatch");
        Path html = dir.resolve("m.html");
        CliRun.of("analyze", wrong, "--elf", ELF.toString(), "--format", "html", "-o", html.toString());
        assertThat(Files.readString(html)).contains("ELF mismatch: ");
        assertThat(CliRun.of("export", wrong, "--elf", ELF.toString(), "--format", "folded").err()).contains("ELF mismatch");
        String digest = ElfDigest.sha256(ELF);
        String right = stream(digest.substring(0, 16), false).toString();
        assertThat(CliRun.of("analyze", right, "--elf", ELF.toString(), "--color", "never").out()).doesNotContain("(ELF SHA256");
        String garbled = stream("not-hex", false).toString();
        CliRun notHex = CliRun.of("analyze", garbled, "--elf", ELF.toString(), "--color", "never");
        assertThat(notHex.out()).doesNotContain("(ELF SHA256");
        assertThat(notHex.out()).contains("ELF_SHA256 in the system description is not a hex digest");
    }
}
