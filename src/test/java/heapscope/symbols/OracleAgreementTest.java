package heapscope.symbols;

import heapscope.Fixtures;

import heapscope.demangle.Demangler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every instruction address of every function of every fixture ELF (built by
 * src/test/fixtures/elf/build.sh) must resolve to the inline chain the committed oracles give:
 * function, file and line of every frame. Where GNU addr2line and llvm-symbolizer disagree, the
 * expected value is the one docs/SYMBOLS.md argues is right:
 * <ul>
 *   <li>file names and inlined functions' names from llvm-symbolizer (binutils 2.40 misnames the file
 *       of GCC's DWARF 5 rows that keep the initial file register, and names inlined functions of C++
 *       units that have no linkage name after the enclosing ELF symbol);</li>
 *   <li>the outermost function's name from addr2line (llvm-symbolizer replaces it with whichever ELF
 *       symbol alias it finds first, e.g. the complete-object constructor C1 for a DWARF C2);</li>
 *   <li>everything from llvm-symbolizer where addr2line finds no debug information at all (binutils
 *       2.40 does not read DWARF 5 units in the 64-bit format).</li>
 * </ul>
 * Any other disagreement between the oracles fails the test, so a new kind is noticed and judged.
 */
class OracleAgreementTest {

    static Path resources() {
        return Fixtures.resource("elf");
    }

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(resources())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".elf"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void agreesWithTheOraclesOnEveryInstruction(String name) throws Exception {
        assertAgreement(name, UnaryOperator.identity(), Map.of());
    }

    /**
     * With the project's demangler built in, names must read as binutils' c++filt renders them: the
     * expected chains are the mangled ones above with each name replaced by what addr2line -C printed
     * for it (LLVM's demangler spells lambdas differently, so llvm-symbolizer's -C output is not used).
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void agreesWithTheDemanglingOracle(String name) throws Exception {
        assertAgreement(name, Demangler::demangle, cxxfilt());
    }

    /** Mangled name -> addr2line -C's rendering, from all fixtures (they share their sources). */
    private static Map<String, String> cxxfilt() throws Exception {
        Path dir = resources();
        Map<String, String> cxxfilt = new HashMap<>();
        for (String name : fixtures().toList()) {
            Map<Long, List<Oracle.Expected>> mangled = Oracle.read(dir.resolve(name + ".addr2line.gz"));
            Map<Long, List<Oracle.Expected>> demangled = Oracle.read(dir.resolve(name + ".addr2line-C.gz"));
            for (Map.Entry<Long, List<Oracle.Expected>> e : mangled.entrySet()) {
                List<Oracle.Expected> d = demangled.get(e.getKey());
                for (int i = 0; i < e.getValue().size(); i++) {
                    cxxfilt.put(e.getValue().get(i).function(), d.get(i).function());
                }
            }
        }
        return cxxfilt;
    }

    private static void assertAgreement(String name, UnaryOperator<String> demangler, Map<String, String> rename)
            throws Exception {
        Path dir = resources();
        Map<Long, List<Oracle.Expected>> gnu = Oracle.read(dir.resolve(name + ".addr2line.gz"));
        Map<Long, List<Oracle.Expected>> llvm = Oracle.read(dir.resolve(name + ".llvm.gz"));
        assertThat(gnu).hasSize(Files.readAllLines(dir.resolve(name + ".addresses")).size()).isNotEmpty();
        assertThat(llvm.keySet()).containsExactlyElementsOf(gnu.keySet());
        Symbolizer s = Symbolizer.open(dir.resolve(name + ".elf"), demangler);
        List<String> mismatches = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (Map.Entry<Long, List<Oracle.Expected>> e : gnu.entrySet()) {
            List<Oracle.Expected> g = e.getValue();
            List<Oracle.Expected> l = llvm.get(e.getKey());
            List<Oracle.Expected> expected = reference(g, l);
            if (expected == null) {
                unexplained.add(String.format("0x%08x%n  addr2line %s%n  llvm      %s", e.getKey(), g, l));
                continue;
            }
            expected = expected.stream().map(x -> new Oracle.Expected(rename.getOrDefault(x.function(), x.function()),
                    x.file(), x.line())).toList();
            List<Oracle.Expected> actual = Oracle.of(s.lookup(e.getKey()));
            if (!actual.equals(expected)) {
                mismatches.add(String.format("0x%08x%n  expected %s%n  actual   %s", e.getKey(), expected, actual));
            }
        }
        assertThat(unexplained).as("%s: oracles disagree in an undocumented way", name).isEmpty();
        assertThat(mismatches).as("%s: %d of %d addresses differ", name, mismatches.size(), gnu.size()).isEmpty();
    }

    /** The documented merge of both oracles, or null when they disagree in another way. */
    static List<Oracle.Expected> reference(List<Oracle.Expected> gnu, List<Oracle.Expected> llvm) {
        if (gnu.size() == 1 && gnu.get(0).file().equals("??") && !llvm.get(0).file().equals("??")) {
            return llvm; // binutils 2.40 reads no DWARF 5 unit in the 64-bit format; llvm-symbolizer does
        }
        if (gnu.size() != llvm.size()) {
            return null;
        }
        List<Oracle.Expected> out = new ArrayList<>();
        for (int i = 0; i < gnu.size(); i++) {
            Oracle.Expected g = gnu.get(i);
            Oracle.Expected l = llvm.get(i);
            if (g.line() != l.line()) {
                return null;
            }
            boolean outermost = i == gnu.size() - 1;
            out.add(new Oracle.Expected(outermost ? g.function() : l.function(), l.file(), l.line()));
        }
        return out;
    }
}
