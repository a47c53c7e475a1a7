package heapscope.log;

import heapscope.trace.Crash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) inside a task name, a panic reason or any
 * free text of a line are characters like any other: lines end at LF only, so no pattern may read them as a line's
 * end. A log with one of them in each free-text slot decodes to the same events as with a letter there.
 */
class LineSeparatorsTest {
    private static final String SLOT = "§";
    private static final List<String> SEPARATORS = List.of("\u0085", "\u2028", "\u2029");

    /** Each family with the character in its free-text slots ({@link #SLOT}). */
    private static final List<String[]> LOGS = List.of(
            new String[] {"heap_trace_dump among other output",
                    ListingCountsTest.DUMP.replace("    16 bytes", "I (100) wi§fi: sta§connected\n    16 bytes")},
            new String[] {"heap info among other output", Families.HEAP_INFO.replace("  Totals:", "W (7) t§ag: x§y\n  Totals:")},
            new String[] {"corruption after other text", """
                    ta§sk CORRUPT HEAP: Bad head at 0x3ffb4a18. Expected 0xabba1234 got 0x3ffe4364
                    """},
            new String[] {"panic reason", Families.CRASH_XTENSA.replace("LoadProhibited", "Load§Prohibited")},
            new String[] {"assert", """
                    assert failed: multi_heap§free multi_heap_poisoning.c:253 (head != NULL§)

                    Backtrace: 0x4008e4b0:0x3ffb8c40 0x4008e6e1:0x3ffb8c60
                    """},
            new String[] {"newlib assertion", """
                    assertion "heap != NULL§" failed: file "heap_c§aps.c", line 267, function: heap_caps_free
                    abort() was called at PC 0x400d3b2b on core 1

                    Backtrace: 0x4008e4b0:0x3ffb8c40 0x4008e6e1:0x3ffb8c60
                    """},
            new String[] {"leak tracker", Families.LEAK_TRACKER.replace("(328.21 KB)", "(328.21§KB)")
                    .replace("buffer full", "buffer§full")},
            new String[] {"task tree", Families.TASK_TREE.replace("main,", "ma§in,").replace("HEAP: RAM", "HEAP: R§AM")},
            new String[] {"task overview", Families.TASK_BOX.replace("          main", "         ma§in")},
            new String[] {"free-heap lines", Families.FREE_LINES.replace("app:", "a§pp:").replace("after connect", "after§connect")},
            new String[] {"memory tracking", Families.MEM_TRACKING.replace("main/app.c", "main/a§pp.c")
                    .replace("function app_main", "function app§main").replace("in app_main", "in app§main")},
            new String[] {"heap monitor", Families.MONITOR.replace("| main          ", "| ma§in         ")
                    .replace("Stack High Water Mark", "Stack High§Water Mark")},
            new String[] {"sysviewtrace_proc", """
                    [0.002272225] HEAP: Allocated 8 bytes @ 0x3ffaff6c from task "ma§in" on core 0 by:
                    [0.002307300] HEAP: Freed bytes @ 0x3ffaff6c from task "al§loc0" on core 0 by:
                    """},
            new String[] {"prefixes", """
                    I (12:00:01.123) a§pp: Free heap: 1000
                    [D][a§pp:000]: Free heap: 2000
                    [  1332][V][fi§le.cpp:400] func(): Free heap: 3000
                    [10:00:00] I (1) a§pp: Free heap: 4000
                    """});

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String[] log : LOGS) {
            for (String separator : SEPARATORS) {
                cases.add(Arguments.of(log[0], String.format("U+%04X", (int) separator.charAt(0)), log[1], separator));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void decodeAsWithAnyOtherCharacter(String family, String code, String log, String separator) {
        Decoded plain = Decoded.of(log.replace(SLOT, "x"));
        Decoded odd = Decoded.of(log.replace(SLOT, separator));

        assertThat(plain.events()).as("the plain log decodes to something").isNotEmpty();
        assertThat(odd.warnings()).as("warnings").isEqualTo(plain.warnings());
        assertThat(NoiseTest.signatures(odd).stream().map(s -> s.replace(separator, "x")).toList())
                .isEqualTo(NoiseTest.signatures(plain));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void theCharacterIsKeptWhereTheTextIsKept(String family, String code, String log, String separator) {
        Decoded odd = Decoded.of(log.replace(SLOT, separator));
        for (Crash c : odd.crashes()) {
            assertThat(c.reason()).contains(separator);
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("separators")
    void aUserSampleRegexReadsThemAsCharacters(String separator, String code) {
        String log = "heap left 1234 after wi" + separator + "fi\n";
        Decoded d = Decoded.of(log, List.of(Pattern.compile("heap left (?<free>\\d+) after .*$")));
        assertThat(d.samples()).singleElement().satisfies(s -> assertThat(s.free()).isEqualTo(1234));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("separators")
    void theCleanerSplitsPrefixesAsWithAnyOtherCharacter(String separator, String code) {
        for (String raw : List.of("I (12:00:01.123) a§pp: text§here", "[D][a§pp:000]: text§here",
                "[  1332][V][fi§le.cpp:400] func(): text§here", "I (5) a§pp: text§here")) {
            byte[] plain = raw.replace(SLOT, "x").getBytes(StandardCharsets.UTF_8);
            byte[] odd = raw.replace(SLOT, separator).getBytes(StandardCharsets.UTF_8);
            LogLine p = new LineCleaner().clean(1, plain, 0, plain.length);
            LogLine o = new LineCleaner().clean(1, odd, 0, odd.length);
            assertThat(o.text().replace(separator, "x")).as(raw).isEqualTo(p.text());
            assertThat(o.level()).isEqualTo(p.level());
            assertThat(o.timeMs()).isEqualTo(p.timeMs());
        }
    }

    /** Every regex the log parsers hold is compiled so, not only those the logs above reach. */
    @Test
    void everyPatternOfTheLogPackageEndsLinesAtLfOnly() throws Exception {
        Path classes = Path.of(LineCleaner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("heapscope/log");
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString();
                Class<?> type = Class.forName("heapscope.log." + name.substring(0, name.length() - ".class".length()));
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && field.getType() == Pattern.class) {
                        field.setAccessible(true);
                        Pattern pattern = (Pattern) field.get(null);
                        assertThat(pattern.flags() & Pattern.UNIX_LINES).as(type.getSimpleName() + "." + field.getName()).isNotZero();
                        checked.add(field.getName());
                    }
                }
            }
        }
        assertThat(checked).as("patterns found").hasSizeGreaterThan(50);
    }

    static Stream<Arguments> separators() {
        return SEPARATORS.stream().map(s -> Arguments.of(s, String.format("U+%04X", (int) s.charAt(0))));
    }
}
