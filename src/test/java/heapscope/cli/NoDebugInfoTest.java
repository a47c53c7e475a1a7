package heapscope.cli;

import heapscope.Fixtures;
import heapscope.demangle.Demangler;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSymbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code symbolize} against llvm-symbolizer on code addresses of real ESP-IDF ELFs and of a fixture that links code
 * without debug information as ESP-IDF links its radio libraries (src/test/fixtures/elf/blob/build.sh records
 * llvm-symbolizer's answers). The spellings that differ by design (docs/SYMBOLS.md) are compared as equal:
 * llvm-symbolizer's column ({@code :12:5}) and its {@code :0} for "no line"; and the outermost function, which
 * llvm-symbolizer names by an ELF symbol at the address (an alias, a GCC clone's {@code .isra.0}) where heapscope,
 * as addr2line, takes DWARF's name; and the standard substitutions LLVM's demangler abbreviates ({@code std::string})
 * where heapscope's spells them out, as binutils' c++filt does.
 */
class NoDebugInfoTest {
    private static final Pattern COLUMN = Pattern.compile("(:\\d+):\\d+$");
    /** c++filt's spelling of the standard substitutions of a nested name, and LLVM's. */
    private static final Map<String, String> SUBSTITUTIONS = Map.of(
            "std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string",
            "std::basic_ostream<char, std::char_traits<char> >", "std::ostream",
            "std::basic_istream<char, std::char_traits<char> >", "std::istream",
            "std::basic_iostream<char, std::char_traits<char> >", "std::iostream");
    private static final Pattern NO_LINE = Pattern.compile("^(.* at (?!\\?\\?:)\\S+):0$");

    private static Path fixture(String name) {
        return Fixtures.resource("elf-blob/" + name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "riscv-blob, elf-blob/riscv-blob.elf, 100.0",
            "esp32, corpus/esp-coredump/esp32.elf, 99.5",
            "esp32c3, corpus/esp-coredump/esp32c3.elf, 99.5",
            "sysview_tracing_heap_log, corpus/esp-idf-sysview/sysview_tracing_heap_log.elf, 99.5"})
    void framesAreLlvmSymbolizersOnCodeAddresses(String name, String elf, double percent) throws IOException {
        Map<Long, List<String>> llvm = llvm(fixture(name + ".llvm.gz"));
        Map<Long, List<String>> ours = abbreviated(SymbolizeCommandTest.run(Files.readString(fixture(name + ".addresses")),
                "symbolize", "-a", "--exact", "--elf", Fixtures.resource(elf).toString()).out());
        assertThat(ours.keySet()).containsExactlyElementsOf(llvm.keySet());
        Set<String> aliases = symbolNames(Fixtures.resource(elf));
        List<String> differ = new ArrayList<>();
        long exact = 0;
        for (Map.Entry<Long, List<String>> e : llvm.entrySet()) {
            List<String> expected = e.getValue();
            List<String> actual = ours.get(e.getKey());
            if (expected.equals(actual)) {
                exact++;
            } else if (!outermostNameOnly(expected, actual, aliases)) {
                differ.add(String.format("0x%08x%n  llvm      %s%n  heapscope %s", e.getKey(), expected, actual));
            }
        }
        double agree = 100.0 * (llvm.size() - differ.size()) / llvm.size();
        assertThat(agree).as("%s: %d of %d addresses differ (%d spelled exactly alike), e.g. %s", name, differ.size(), llvm.size(),
                exact, differ.stream().limit(5).toList()).isGreaterThanOrEqualTo(percent);
    }

    @Test
    void theBlobsFramesNameTheirObjectAndWithTheLinkMapTheirLibrary() {
        Path elf = fixture("riscv-blob.elf");
        SymbolizeCommandTest.Run plain = SymbolizeCommandTest.run("", "symbolize", "--exact", "--elf", elf.toString(),
                address(elf, "coex_core_lock"), address(elf, "coex_core_unlock"), address(elf, "_vector_handler"), address(elf, "wifi_start"));
        SymbolizeCommandTest.Run mapped = SymbolizeCommandTest.run("", "symbolize", "--exact", "--map", fixture("riscv-blob.map").toString(),
                "--elf", elf.toString(), address(elf, "coex_core_lock"), address(elf, "coex_core_unlock"));
        assertThat(plain.out().lines().toList()).containsExactly("coex_core_lock at coexist_core.c", "coex_core_unlock at ??:?",
                "_vector_handler at vectors.o", "wifi_start at /heapscope/fixtures/blob/app.c:5");
        assertThat(mapped.out().lines().toList()).containsExactly("coex_core_lock at coexist_core.o (libcoexist.a)",
                "coex_core_unlock at coexist_core.o (libcoexist.a)");
    }

    private static String address(Path elf, String symbol) {
        try {
            for (ElfSymbol s : ElfFile.open(elf).symbols()) {
                if (s.name().equals(symbol)) {
                    return String.format("0x%x", s.value() + 2);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException(symbol);
    }

    /** Only the outermost frame's function name differs, and llvm-symbolizer's is the name of an ELF symbol. */
    private static boolean outermostNameOnly(List<String> expected, List<String> actual, Set<String> symbols) {
        if (actual == null || expected.size() != actual.size()) {
            return false;
        }
        int last = expected.size() - 1;
        if (!expected.subList(0, last).equals(actual.subList(0, last))) {
            return false;
        }
        String[] e = expected.get(last).split(" at ", 2);
        String[] a = actual.get(last).split(" at ", 2);
        String name = e[0].replaceFirst("^\\(inlined by\\) ", "").replaceFirst(" \\(\\.\\w+\\.\\d+\\)$", "");
        return e.length == 2 && a.length == 2 && e[1].equals(a[1]) && (symbols.contains(name) || name.startsWith("$"));
    }

    /** The ELF's symbol names, GCC's clone suffixes ({@code .isra.0}, {@code $isra$0}) taken off. */
    private static Set<String> symbolNames(Path elf) throws IOException {
        Set<String> names = new HashSet<>();
        for (ElfSymbol s : ElfFile.open(elf).symbols()) {
            names.add(s.name());
            names.add(s.name().replaceFirst("[.$]\\w+[.$]\\d+$", ""));
        }
        names.addAll(demangledAliases(names));
        return names;
    }

    /** llvm-symbolizer prints names demangled (-C): the clone's C++ name without its suffix matches too. */
    private static Set<String> demangledAliases(Set<String> names) {
        Map<String, String> out = new HashMap<>();
        for (String n : names) {
            out.put(Demangler.demangle(n), n);
        }
        return out.keySet();
    }

    /** llvm-symbolizer -a -p output: per address its frame lines, in heapscope's spelling (no column, no ":0"). */
    private static Map<Long, List<String>> llvm(Path gz) throws IOException {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            String text = new String(r.lines().reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append));
            parse(text, out);
        }
        out.replaceAll((a, lines) -> lines.stream().map(l -> {
            String s = COLUMN.matcher(l).replaceFirst("$1");
            s = s.endsWith(" at ??:0") ? s.substring(0, s.length() - 1) + "?" : s;
            return NO_LINE.matcher(s).replaceFirst("$1");
        }).toList());
        return out;
    }

    /** heapscope's output, the standard substitutions spelled as LLVM spells them. */
    private static Map<Long, List<String>> abbreviated(String text) {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        parse(text, out);
        out.replaceAll((a, lines) -> lines.stream().map(l -> {
            for (Map.Entry<String, String> e : SUBSTITUTIONS.entrySet()) {
                l = l.replace(e.getKey(), e.getValue());
            }
            return l;
        }).toList());
        return out;
    }

    private static void parse(String text, Map<Long, List<String>> out) {
        List<String> current = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("0x")) {
                int colon = line.indexOf(": ");
                current = new ArrayList<>();
                out.put(Long.parseUnsignedLong(line.substring(2, colon), 16), current);
                current.add(line.substring(colon + 2));
            } else {
                current.add(line.strip());
            }
        }
    }
}
