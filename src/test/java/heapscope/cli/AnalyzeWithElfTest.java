package heapscope.cli;

import java.nio.ByteBuffer;
import java.util.List;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.TinyTrace;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;
import heapscope.symbols.ElfDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * analyze --elf: the leak report's frames are resolved from a committed fixture ELF exactly as its
 * llvm-symbolizer oracle says (inline chains included, return addresses looked up at address - 1), ROM addresses
 * are said to be outside the ELF, and an ELF that is not the capture's firmware is flagged.
 */
class AnalyzeWithElfTest {
    private static final Path ELF = Fixtures.resource("elf/xtensa-O2-dwarf4.elf");
    private static final long INLINED = 0x4008005bL; // align_up inlined into words_for inlined into fx_alloc
    private static final long ROM = 0x40000400L;

    @TempDir
    Path dir;

    /** The oracle's frames for one address, as "function at file:line" (column dropped, as idf.py monitor does). */
    private static List<String> oracle(long address) throws IOException {
        List<String> frames = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Fixtures.resource("elf/xtensa-O2-dwarf4.llvm-C.gz"))), StandardCharsets.UTF_8))) {
            String target = String.format("0x%08x", address);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.equals(target)) {
                    for (String fn = r.readLine(); fn != null && !fn.isEmpty(); fn = r.readLine()) {
                        String loc = r.readLine();
                        frames.add(fn + " at " + loc.substring(0, loc.lastIndexOf(':')));
                    }
                    return frames;
                }
            }
        }
        throw new AssertionError("address not in the oracle");
    }

    private Path trace(String elfSha) throws IOException {
        TinyTrace t = new TinyTrace();
        if (elfSha != null) {
            t.w.sysdesc(0, "ELF_SHA256=" + elfSha, 10);
        }
        t.task(0x100, "main");
        // callers are return addresses: one past the call instruction
        t.w.heapAlloc(0, 512, 0x3FFB1000L, 48, new long[] {INLINED + 1, ROM}, 2, 4, 10);
        return t.write(dir.resolve("trace.svdat"));
    }

    @Test
    void framesAreResolvedAsTheOracleSaysWithInlineChains() throws IOException {
        List<String> expected = oracle(INLINED);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
        CliRun run = CliRun.of("analyze", trace(null).toString(), "--elf", ELF.toString(), "--color", "never");
        assertThat(run.status()).isZero();
        List<String> lines = run.out().lines().map(String::strip).toList();
        int at = lines.indexOf(String.format("0x%08x: %s", INLINED + 1, expected.get(0)));
        assertThat(at).as(run.out()).isGreaterThan(0);
        for (int i = 1; i < expected.size(); i++) {
            assertThat(lines.get(at + i)).isEqualTo("(inlined by) " + expected.get(i));
        }
        assertThat(lines).contains(String.format("0x%08x: ?? (ROM, not in the ELF)", ROM));
        assertThat(run.out()).doesNotContain("not the firmware");
    }

    @Test
    void jsonCarriesTheFramesPerCaller() throws IOException {
        CliRun run = CliRun.of("analyze", trace(null).toString(), "--elf", ELF.toString(), "--format", "json");
        JsonNode frames = new ObjectMapper().readTree(run.out()).at("/groups/0/frames");
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).get("in_elf").asBoolean()).isTrue();
        List<String> expected = oracle(INLINED);
        assertThat(frames.get(0).get("frames")).hasSize(expected.size());
        assertThat(frames.get(0).at("/frames/0/function").asText() + " at " + frames.get(0).at("/frames/0/file").asText() + ":"
                + frames.get(0).at("/frames/0/line").asInt()).isEqualTo(expected.get(0));
        assertThat(frames.get(1).get("in_elf").asBoolean()).isFalse();
    }

    @Test
    void anElfThatIsNotTheCapturesFirmwareIsFlagged() throws IOException {
        String digest = ElfDigest.sha256(ELF);
        CliRun matching = CliRun.of("analyze", trace(digest.substring(0, 16)).toString(), "--elf", ELF.toString(), "--color", "never");
        assertThat(matching.out()).doesNotContain("not the firmware");
        CliRun other = CliRun.of("analyze", trace("0123456789abcdef").toString(), "--elf", ELF.toString(), "--color", "never");
        assertThat(other.status()).isZero();
        assertThat(other.out()).contains("is not the firmware of the capture (ELF SHA256 0123456789abcdef)");
    }

    @Test
    void anElfOfTheWrongArchitectureOrWithNoneOfTheAddressesIsFlagged() {
        String core0 = Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString();
        String core1 = Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString();
        Path riscv = Fixtures.resource("elf/riscv-O2-dwarf5.elf"); // Espressif's recording is from an ESP32 (Xtensa)
        CliRun wrong = CliRun.of("analyze", core0, core1, "--elf", riscv.toString(), "--color", "never");
        assertThat(wrong.status()).isZero();
        assertThat(wrong.out()).contains("ELF mismatch: " + riscv + ": this ELF is RISC-V code, so it is not the firmware of the"
                + " capture, which comes from an esp32 (Xtensa); also, none of the capture's 46"
                + " call-stack addresses lies in this ELF's code");
        assertThat(wrong.err().split("ELF mismatch", -1)).as("one mismatch, said once").hasSize(2);
        CliRun xtensa = CliRun.of("analyze", core0, core1, "--elf", ELF.toString(), "--color", "never"); // right CPU, other code
        assertThat(xtensa.out()).doesNotContain("RISC-V").contains("none of the capture's 46 call-stack addresses");
    }

    @Test
    void aStrippedElfIsFlagged() throws IOException {
        // the fixture without its names: debug sections renamed away, the symbol table's type cleared
        byte[] bytes = Files.readAllBytes(ELF);
        ElfFile elf = ElfFile.parse(ELF, ByteBuffer.wrap(bytes));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(elf.byteOrder());
        long shoff = b.getInt(32) & 0xffffffffL; // ELF32
        int shentsize = b.getShort(46);
        int symtab = elf.section(".symtab").orElseThrow().index();
        b.putInt((int) (shoff + (long) symtab * shentsize + 4), 0); // sh_type: SHT_NULL
        ElfSection names = elf.sections().get(b.getShort(50));
        for (int i = (int) names.offset(); i < names.offset() + names.size() - 6; i++) {
            if (new String(bytes, i, 6, StandardCharsets.ISO_8859_1).equals(".debug")) {
                bytes[i + 1] = 'x';
            }
        }
        Path stripped = Files.write(dir.resolve("stripped.elf"), bytes);
        CliRun run = CliRun.of("analyze", trace(null).toString(), "--elf", stripped.toString(), "--color", "never");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("ELF mismatch: " + stripped + ": this ELF has neither debug information nor a symbol table");
        assertThat(CliRun.of("analyze", trace(null).toString(), "--elf", ELF.toString(), "--color", "never").out())
                .doesNotContain("neither debug information");
    }

    @Test
    void aBrokenElfIsAOneLineErrorWithStatus2() throws IOException {
        Path bad = Files.write(dir.resolve("bad.elf"), new byte[] {0x7F, 'E', 'L', 'F', 9, 9, 9});
        CliRun run = CliRun.of("analyze", trace(null).toString(), "--elf", bad.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("heapscope: " + bad);
    }

    /** A panic pasted into an issue (quoted, in a fence): its PC and backtrace come out of JSON resolved. */
    @Test
    void jsonResolvesAPastedPanicsPcAndBacktrace() throws IOException {
        String pc = String.format("0x%08x", INLINED);
        Path log = dir.resolve("issue.txt");
        Files.writeString(log, String.join("\n",
                "> ```", "> Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.", ">",
                "> Core  0 register dump:", "> PC      : " + pc + "  PS      : 0x00060730  A0      : 0x800d3a1c  A1      : 0x3ffb5f30",
                "> EXCCAUSE: 0x0000001c  EXCVADDR: 0x00000010", ">",
                "> Backtrace: " + pc + ":0x3ffb5f30 " + String.format("0x%08x", ROM) + ":0x3ffb5f50 |<-CORRUPTED", "> ```", ""));
        CliRun run = CliRun.of("analyze", log.toString(), "--elf", ELF.toString(), "--format", "json");
        JsonNode crash = new ObjectMapper().readTree(run.out()).at("/incidents/crashes/0");
        assertThat(crash.get("kind").asText()).isEqualTo("panic");
        assertThat(crash.get("reason").asText()).isEqualTo("LoadProhibited");
        assertThat(crash.get("pc").asText()).isEqualTo(pc);
        assertThat(crash.at("/registers/EXCCAUSE").asText()).isEqualTo("0x0000001c");
        assertThat(crash.at("/registers/EXCVADDR").asText()).isEqualTo("0x00000010");
        assertThat(crash.get("backtrace_end").asText()).isEqualTo("corrupted");
        assertThat(crash.get("truncated").asBoolean()).isTrue();
        List<String> expected = oracle(INLINED);
        JsonNode first = crash.at("/backtrace_frames/0");
        assertThat(first.at("/frames/0/function").asText() + " at " + first.at("/frames/0/file").asText() + ":"
                + first.at("/frames/0/line").asInt()).isEqualTo(expected.get(0));
        assertThat(first.get("frames")).hasSize(expected.size());
        assertThat(crash.at("/pc_frame/frames/0/function").asText()).isEqualTo(first.at("/frames/0/function").asText());
        assertThat(crash.at("/backtrace_frames/1/in_elf").asBoolean()).isFalse();
    }
}
