package heapscope.log;

import heapscope.Fixtures;
import heapscope.trace.Alloc;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.Event;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public serial-log excerpt (src/test/resources/corpus/serial-logs/SOURCE.md), verbatim and as people paste it
 * into an issue (quoted, in a code fence, in a list, with a pastebin's line numbers, with a serial monitor's clock,
 * wrapped by a terminal), decodes to the fields written below from reading each excerpt: the same events with the
 * same figures, and as many warnings.
 */
class PastedCorpusTest {
    /** What a person reading each excerpt finds in it, one entry per event, and the number of warnings it deserves. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "issue-Links2004-arduinoWebSockets-750-corrupt_heap_bad_head.txt", List.of(
                    "corruption bad head 0x3ffeb398",
                    "crash assert 'assert failed: multi_heap_free multi_heap_poisoning.c:253 (head != NULL)' core 0"
                            + " 15 frames 0x40083e1d..0x4010a415 complete",
                    "warnings 0"),
            "issue-RomanLut-hx-esp32-cam-fpv-46-heap_caps_print_heap_info.txt", List.of(
                    "sample caps 0x00000004 @ 0x3fcb1270 free 32031 largest 31744",
                    "sample caps 0x00000004 @ 0x3c110000 free 8385916 largest 8257536",
                    "sample caps 0x00000004 @ 0x3fca81f0 free 197676 largest 196608",
                    "sample caps 0x00000004 @ 0x3fce9710 free 21572 largest 21504",
                    "sample caps 0x00000004 @ 0x600fe100 free 7532 largest 7168",
                    "sample caps 0x00000004 free 8644727 largest 8257536",
                    "sample caps 0x00000001 free 0 largest 0",
                    "sample caps 0x00000008 @ 0x3fcb1270 free 32031 largest 31744",
                    "warnings 1"), // it stops inside the third block
            "issue-espressif-esp-idf-10483-sysviewtrace_proc_heap.txt", List.of(
                    "alloc 8 @ 0x3ffaff6c", "alloc 2500 @ 0x3ffb580c", "alloc 356 @ 0x3ffb61d4", "alloc 120 @ 0x3ffaff78",
                    "alloc 2500 @ 0x3ffb633c",
                    "warnings 0"),
            "issue-espressif-esp-idf-13786-alloc_hook_backtrace.txt", List.of(
                    "sample internal free 45871 largest -1", // the esp_backtrace_print() from a hook is no crash
                    "warnings 0"),
            "issue-espressif-esp-idf-1582-corrupt_heap_bad_tail_abort.txt", List.of(
                    "corruption bad tail 0x3ffe04d1",
                    "corruption heap assert 0x3ffe04d8",
                    "crash abort 'abort() was called at PC 0x400889bb on core 0' core 0 26 frames 0x40089108..0x400d1112 complete",
                    "warnings 0"),
            "pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt", List.of(
                    "snapshot", "alloc 16 @ 0x3ffd1914", "alloc 16 @ 0x3ffd18cc", "snapshot",
                    "warnings 1")); // its summary counts 96 blocks, the excerpt shows two

    /** How the text reaches heapscope; each maps the whole excerpt. */
    private static final Map<String, UnaryOperator<String>> PASTES = Map.ofEntries(
            Map.entry("verbatim", s -> s),
            Map.entry("quoted '> '", s -> prefix(s, n -> "> ", ">")),
            Map.entry("quoted twice '>> '", s -> prefix(s, n -> ">> ", ">>")),
            Map.entry("quoted '> > '", s -> prefix(s, n -> "> > ", "> >")),
            Map.entry("table '| '", s -> prefix(s, n -> "| ", "|")),
            Map.entry("code fence", s -> "```\n" + s + "```\n"),
            Map.entry("code fence in a quote", s -> prefix("```text\n" + s + "```\n", n -> "> ", ">")),
            Map.entry("list bullets '* '", s -> prefix(s, n -> "* ", "*")),
            Map.entry("list bullets '- '", s -> prefix(s, n -> "- ", "-")),
            Map.entry("pastebin numbers 'N. '", s -> prefix(s, n -> n + ". ", null)),
            Map.entry("gist numbers 'N<tab>'", s -> prefix(s, n -> n + "\t", null)),
            Map.entry("serial monitor clock 'HH:MM:SS.mmm -> '", s -> prefix(s, n -> "10:10:01.243 -> ", "10:10:01.243 -> ")),
            Map.entry("wrapped at 80 columns", s -> wrap(s, 80)),
            Map.entry("wrapped at 132 columns", s -> wrap(s, 132)));

    static Stream<Arguments> pastes() {
        List<Arguments> all = new ArrayList<>();
        for (String file : EXPECTED.keySet().stream().sorted().toList()) {
            for (String paste : PASTES.keySet().stream().sorted().toList()) {
                all.add(Arguments.of(file, paste));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pastes")
    void decodesToTheFieldsAPersonReads(String file, String paste) throws IOException {
        String text = PASTES.get(paste).apply(Files.readString(Fixtures.corpus("serial-logs/" + file)));
        Decoded d = Decoded.of(text);

        assertThat(fields(d)).as(file + ", " + paste + "; warnings " + d.warnings()).isEqualTo(EXPECTED.get(file));
    }

    /** The fields compared, one string per event (line numbers apart: a fence moves them). */
    static List<String> fields(Decoded d) {
        List<String> out = new ArrayList<>();
        for (Event e : d.events()) {
            switch (e) {
                case Alloc a -> out.add("alloc " + a.size() + " @ 0x" + Long.toHexString(a.address()));
                case Corruption c -> out.add("corruption " + c.kind() + " 0x" + Long.toHexString(c.address()));
                case HeapSample h -> out.add("sample " + h.label() + " free " + h.free() + " largest " + h.largestFree());
                case Snapshot s -> out.add("snapshot");
                case Crash c -> out.add("crash " + c.kind().label() + " '" + c.reason() + "' core " + c.core() + " " + c.backtrace().size()
                        + " frames " + (c.backtrace().isEmpty() ? "" : "0x" + Long.toHexString(c.backtrace().get(0)) + "..0x"
                        + Long.toHexString(c.backtrace().get(c.backtrace().size() - 1)) + " ") + c.end().label());
                default -> out.add(e.getClass().getSimpleName());
            }
        }
        out.add("warnings " + d.warnings().size());
        return out;
    }

    /** Each line behind the prefix for its 1-based number; an empty line gets {@code blank} (null: the same prefix). */
    static String prefix(String s, IntFunction<String> prefix, String blank) {
        StringBuilder b = new StringBuilder();
        String[] lines = s.split("\n", -1);
        int n = lines.length - (s.endsWith("\n") ? 1 : 0);
        for (int i = 0; i < n; i++) {
            String p = lines[i].isEmpty() && blank != null ? blank : prefix.apply(i + 1) + lines[i];
            b.append(p).append('\n');
        }
        return b.toString();
    }

    /** A terminal's hard wrap: every line longer than {@code width} continues on the next. */
    static String wrap(String s, int width) {
        StringBuilder b = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            int i = 0;
            for (; line.length() - i > width; i += width) {
                b.append(line, i, i + width).append('\n');
            }
            b.append(line, i, line.length()).append('\n');
        }
        return b.substring(0, b.length() - 1);
    }
}
