package heapscope.cli;

import heapscope.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.assertj.core.api.Assertions.assertThat;

class SymbolizeCommandTest {
    /** An -O2 address inside Tracker::alloc inlined into cpp_main, with Ring::push and trace_event inside. */
    private static final String INLINED = "0x42000192";

    private record Run(int status, String out, String err) {
    }

    private static Path elf(String name) {
        return Fixtures.resource("elf/" + name);
    }

    /** Runs the CLI with stdin and stdout replaced (results go to System.out as bytes, errors to picocli's err). */
    private static Run run(String stdin, String... args) {
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
        Run r = run("", "symbolize", "--no-demangle", "--elf", elf("riscv-O2-dwarf4.elf").toString(), INLINED);

        assertThat(r.status()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "trace_event at /heapscope/fixtures/heap.h:24",
                " (inlined by) _ZN9heapscope2fx4RingINS0_5BlockELj4EE4pushERKS2_ at /heapscope/fixtures/containers.hpp:16",
                " (inlined by) _ZN9heapscope2fx7Tracker5allocEj at /heapscope/fixtures/tracker.cpp:38",
                " (inlined by) cpp_main at /heapscope/fixtures/tracker.cpp:107");
    }

    @Test
    void readsAddressesFromStandardInputAndMarksThoseOutsideTheElf() throws Exception {
        Run r = run("0x42000192\n40000400 42000196\n", "symbolize", "-a", "--elf", elf("riscv-O2-dwarf4.elf").toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("0x42000192: trace_event at /heapscope/fixtures/heap.h:24")
                .contains("0x40000400: ?? (outside the ELF)")
                .contains("0x42000196: scramble at /heapscope/fixtures/tracker.cpp:84");
    }

    @Test
    void backtraceLinesPastedFromTheLogGiveTheirProgramCounters() throws Exception {
        Run r = run("Backtrace: 0x42000192:0x3fc9f370 0x42000196:0x3fc9f390 |<-CORRUPTED\nhello, bad cafe\n0x42000192 and more\n",
                "symbolize", "-a", "--elf", elf("riscv-O2-dwarf4.elf").toString());

        assertThat(r.status()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("0x")).toList()).containsExactly(
                "0x42000192: trace_event at /heapscope/fixtures/heap.h:24", "0x42000196: scramble at /heapscope/fixtures/tracker.cpp:84",
                "0x42000192: trace_event at /heapscope/fixtures/heap.h:24");
        assertThat(r.err()).isEqualTo("heapscope symbolize: standard input line 2: no address in 'hello, bad cafe'; skipped\n");
    }

    @Test
    void aSixtyFourBitElfsAddressesHaveSixteenDigitsAsInAddr2line() throws Exception {
        Run r = run("", "symbolize", "-a", "--elf", elf("x86_64-llvm-dwarf5.elf").toString(), "0x400030");
        assertThat(r.out()).startsWith("0x0000000000400030: inc_helper at /heapscope/fixtures/helpers.h:4");
    }

    @Test
    void returnAddressesResolveTheCallInstruction() throws Exception {
        String elf = elf("riscv-O2-dwarf4.elf").toString();
        Run ret = run("", "symbolize", "--return-addresses", "--elf", elf, "0x42000193");
        Run call = run("", "symbolize", "--elf", elf, "0x42000192");

        assertThat(ret.out()).startsWith("trace_event at").isEqualTo(call.out());
    }

    @Test
    void jsonListsFramesInnermostFirst() throws Exception {
        Run r = run("", "symbolize", "--json", "--no-demangle", "--elf", elf("xtensa-O2-dwarf5.elf").toString(),
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
}
