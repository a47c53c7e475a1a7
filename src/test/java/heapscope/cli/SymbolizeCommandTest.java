package heapscope.cli;

import heapscope.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSymbol;
import heapscope.elf.TinyElf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SymbolizeCommandTest {
    /** An -O2 address inside Tracker::alloc inlined into cpp_main, with Ring::push and trace_event inside. */
    private static final String INLINED = "0x42000192";

    record Run(int status, String out, String err) {
    }

    private static Path elf(String name) {
        return Fixtures.resource("elf/" + name);
    }

    /** Runs the CLI with stdin and stdout replaced (results go to System.out as bytes, errors to picocli's err). */
    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setErr(new PrintWriter(err, true));
        InputStream savedIn = System.in;
        PrintStream savedOut = System.out;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = cl.execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setIn(savedIn);
            System.setOut(savedOut);
        }
    }

    @Test
    void printsInlineChainsLikeAddr2linePretty() throws Exception {
        Run r = run("", "symbolize", "--exact", "--no-demangle", "--elf", elf("riscv-O2-dwarf4.elf").toString(), INLINED);

        assertThat(r.status()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "trace_event at /heapscope/fixtures/heap.h:24",
                " (inlined by) _ZN9heapscope2fx4RingINS0_5BlockELj4EE4pushERKS2_ at /heapscope/fixtures/containers.hpp:16",
                " (inlined by) _ZN9heapscope2fx7Tracker5allocEj at /heapscope/fixtures/tracker.cpp:38",
                " (inlined by) cpp_main at /heapscope/fixtures/tracker.cpp:107");
    }

    @Test
    void readsAddressesFromStandardInputAndMarksThoseOutsideTheElf() throws Exception {
        Run r = run("0x42000192\n40000400 42000196\n", "symbolize", "--exact", "-a", "--elf", elf("riscv-O2-dwarf4.elf").toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("0x42000192: trace_event at /heapscope/fixtures/heap.h:24")
                .contains("0x40000400: ?? (outside the ELF)")
                .contains("0x42000196: scramble at /heapscope/fixtures/tracker.cpp:84");
    }

    @Test
    void backtraceLinesPastedFromTheLogGiveTheirProgramCounters() throws Exception {
        Run r = run("Backtrace: 0x42000192:0x3fc9f370 0x42000196:0x3fc9f390 |<-CORRUPTED\nhello, bad cafe\n0x42000192 and more\n",
                "symbolize", "--exact", "-a", "--elf", elf("riscv-O2-dwarf4.elf").toString());

        assertThat(r.status()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("0x")).toList()).containsExactly(
                "0x42000192: trace_event at /heapscope/fixtures/heap.h:24", "0x42000196: scramble at /heapscope/fixtures/tracker.cpp:84",
                "0x42000192: trace_event at /heapscope/fixtures/heap.h:24");
        assertThat(r.err()).isEqualTo("heapscope symbolize: standard input line 2: no address in 'hello, bad cafe'; skipped\n");
    }

    @Test
    void aSixtyFourBitElfsAddressesHaveSixteenDigitsAsInAddr2line() throws Exception {
        Run r = run("", "symbolize", "--exact", "-a", "--elf", elf("x86_64-llvm-dwarf5.elf").toString(), "0x400030");
        assertThat(r.out()).startsWith("0x0000000000400030: inc_helper at /heapscope/fixtures/helpers.h:4");
    }

    @Test
    void returnAddressesResolveTheCallInstruction() throws Exception {
        String elf = elf("riscv-O2-dwarf4.elf").toString();
        Run ret = run("", "symbolize", "--return-addresses", "--elf", elf, "0x42000193");
        Run call = run("", "symbolize", "--exact", "--elf", elf, "0x42000192");

        assertThat(ret.out()).startsWith("trace_event at").isEqualTo(call.out());
    }

    @Test
    void jsonListsFramesInnermostFirst() throws Exception {
        Run r = run("", "symbolize", "--exact", "--json", "--no-demangle", "--elf", elf("xtensa-O2-dwarf5.elf").toString(),
                "0x40080058", "0x3ff00000");

        assertThat(r.status()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root).hasSize(2);
        JsonNode first = root.get(0);
        assertThat(first.get("address").asText()).isEqualTo("0x40080058");
        assertThat(first.get("inElf").asBoolean()).isTrue();
        assertThat(first.get("frames").size()).isGreaterThan(0);
        JsonNode last = first.get("frames").get(first.get("frames").size() - 1);
        assertThat(last.get("inlined").asBoolean()).isFalse();
        assertThat(last.get("file").asText()).startsWith("/heapscope/fixtures/");
        assertThat(root.get(1).get("inElf").asBoolean()).isFalse();
        assertThat(root.get(1).get("frames")).isEmpty();
    }

    @Test
    void malformedElfIsExitStatus2WithFileAndOffset(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.elf");
        byte[] bytes = Files.readAllBytes(elf("riscv-O2-dwarf4.elf"));
        bytes[32] = (byte) 0xff; // e_shoff far beyond the file
        bytes[33] = (byte) 0xff;
        bytes[34] = (byte) 0xff;
        Files.write(bad, bytes);

        Run r = run("", "symbolize", "--elf", bad.toString(), "0x42000000");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .contains("broken.elf").contains("byte offset 32").doesNotContain("Exception");
    }

    @Test
    void missingFileAndBadAddressAreExitStatus2() throws Exception {
        assertThat(run("", "symbolize", "--elf", "no/such.elf", "0x1").status()).isEqualTo(2);
        Run bad = run("", "symbolize", "--elf", elf("riscv-O2-dwarf4.elf").toString(), "0xnothex");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("0xnothex");
    }

    /** Names and files come from the ELF, which anyone can craft: what they hold cannot reach the terminal raw. */
    @Test
    void symbolNamesOfACraftedElfAreEscapedOneLineEach(@TempDir Path dir) throws Exception {
        long base = 0x400d0000L;
        List<String> names = List.of("app\u001b[2J\u001b]0;owned\u0007main", "split\nline", "rtl\u202etxt.exe",
                "sep\u2028x\u2066y\u0085");
        List<TinyElf.Symbol> symbols = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("symbolize", "-a", "--exact", "--offsets", "--elf", dir.resolve("crafted.elf").toString()));
        for (int i = 0; i < names.size(); i++) {
            symbols.add(new TinyElf.Symbol(names.get(i), base + 0x10 + 0x20 * i, 0x10, ElfSymbol.STT_FUNC));
            args.add(String.format("0x%08x", base + 0x14 + 0x20 * i));
        }
        ByteBuffer image = TinyElf.build(false, ByteOrder.LITTLE_ENDIAN, ElfFile.EM_XTENSA, base, 0x100, new byte[0], symbols);
        Files.write(dir.resolve("crafted.elf"), Arrays.copyOf(image.array(), image.limit()));

        Run r = run("", args.toArray(String[]::new));

        assertThat(r.status()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "0x400d0014: app\\x1b[2J\\x1b]0;owned\\x07main+0x4 at ??:?",
                "0x400d0034: split\\nline+0x4 at ??:?",
                "0x400d0054: rtl\\u202etxt.exe+0x4 at ??:?",
                "0x400d0074: sep\\u2028x\\u2066y\\x85+0x4 at ??:?");
        for (String raw : List.of("\u001b", "\u0007", "\u202e", "\u2028", "\u2066", "\u0085")) {
            assertThat(r.out()).doesNotContain(raw);
        }
        Run json = run("", Stream.concat(Stream.of("symbolize", "--json"), args.stream().skip(2)).toArray(String[]::new));
        assertThat(new ObjectMapper().readTree(json.out()).findValuesAsText("name")).isEqualTo(names);
    }

    /**
     * Code without debug information (ESP-IDF's radio blobs, assembly vectors) is named as llvm-symbolizer names it: the
     * function, and the object file the symbol table's STT_FILE entry gives a local symbol, or ??:? when it gives none;
     * the offset into the symbol with --offsets; with the link map, the object and its library.
     */
    @Test
    void codeWithoutDebugInformationIsNamedWithItsObjectFile(@TempDir Path dir) throws Exception {
        long base = 0x400d0000L;
        List<TinyElf.Symbol> symbols = List.of(
                new TinyElf.Symbol("coexist_core.o", 0, 0, ElfSymbol.STT_FILE, true),
                new TinyElf.Symbol("coex_core_lock", base + 0x10, 0x20, ElfSymbol.STT_FUNC, true),
                new TinyElf.Symbol("coex_init", base + 0x40, 0x20, ElfSymbol.STT_FUNC));
        ByteBuffer image = TinyElf.build(false, ByteOrder.LITTLE_ENDIAN, ElfFile.EM_XTENSA, base, 0x100, new byte[0], symbols);
        Path elf = dir.resolve("blob.elf");
        Files.write(elf, Arrays.copyOf(image.array(), image.limit()));
        Path map = dir.resolve("app.map");
        Files.writeString(map, String.join("\n", "Archive member included to satisfy reference by file (symbol)", "",
                "Linker script and memory map", "",
                " .text.coex_init",
                "                0x400d0040       0x20 C:\\esp\\esp-idf\\components\\esp_coex\\lib\\esp32\\libcoexist.a(coexist_api.o)", ""));

        Run plain = run("", "symbolize", "--exact", "--elf", elf.toString(), "0x400d0026", "0x400d0048");
        Run offsets = run("", "symbolize", "--exact", "--offsets", "--elf", elf.toString(), "0x400d0026", "0x400d0048");
        Run mapped = run("", "symbolize", "--exact", "--map", map.toString(), "--elf", elf.toString(), "0x400d0026", "0x400d0048");
        Run json = run("", "symbolize", "--exact", "--json", "--elf", elf.toString(), "0x400d0026");

        assertThat(plain.out().lines().toList()).containsExactly("coex_core_lock at coexist_core.o", "coex_init at ??:?");
        assertThat(offsets.out().lines().toList()).containsExactly("coex_core_lock+0x16 at coexist_core.o", "coex_init+0x8 at ??:?");
        assertThat(mapped.out().lines().toList()).containsExactly("coex_core_lock at coexist_core.o", "coex_init at coexist_api.o (libcoexist.a)");
        JsonNode symbol = new ObjectMapper().readTree(json.out()).get(0).get("symbol");
        assertThat(symbol.get("offset").asLong()).isEqualTo(0x16);
        assertThat(symbol.get("object").asText()).isEqualTo("coexist_core.o");
    }

    /** The same for DWARF: a real ELF whose function and file names were rewritten byte for byte. */
    @Test
    void dwarfNamesOfACraftedElfAreEscapedOneLineEach(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(elf("riscv-O2-dwarf4.elf"));
        assertThat(replaceAll(bytes, "trace_event", "tr\u001b]0;x\u0007\nnt")).isPositive();
        assertThat(replaceAll(bytes, "heap.h", "\u202ep.h")).isPositive();
        Path crafted = Files.write(dir.resolve("crafted.elf"), bytes);

        Run r = run("", "symbolize", "--exact", "--no-demangle", "--elf", crafted.toString(), INLINED);

        assertThat(r.status()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "tr\\x1b]0;x\\x07\\nnt at /heapscope/fixtures/\\u202ep.h:24",
                " (inlined by) _ZN9heapscope2fx4RingINS0_5BlockELj4EE4pushERKS2_ at /heapscope/fixtures/containers.hpp:16",
                " (inlined by) _ZN9heapscope2fx7Tracker5allocEj at /heapscope/fixtures/tracker.cpp:38",
                " (inlined by) cpp_main at /heapscope/fixtures/tracker.cpp:107");
    }

    /** Replaces every occurrence of {@code from} in {@code data} by {@code to} (as UTF-8, of the same length). */
    private static int replaceAll(byte[] data, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        assertThat(t).hasSameSizeAs(f);
        int count = 0;
        for (int i = 0; i + f.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, data, i, t.length);
                count++;
            }
        }
        return count;
    }
}
