package heapscope.log;

import heapscope.source.InputException;
import heapscope.trace.Alloc;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.Event;
import heapscope.trace.Free;
import heapscope.trace.HeapSample;
import heapscope.trace.Recording;
import heapscope.trace.Snapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Real logs are messy (issue 4 point 4): every message family, dirtied the ways serial logs are, decodes to the same
 * events as its clean form; a cut line is skipped with a warning naming it; a log may end anywhere.
 */
class NoiseTest {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{8}");

    static Stream<Families.Family> families() {
        return Families.ALL.stream();
    }

    /** What an event says, without its time and line (which the noise shifts). */
    static String signature(Event e, Recording rec) {
        return switch (e) {
            case Alloc a -> "alloc " + a.address() + " " + a.size() + " " + Arrays.toString(rec.stacks().frames(a.stack()))
                    + " " + rec.contexts().get(a.context()).name();
            case Free f -> "free " + f.address();
            case HeapSample h -> "sample " + h.label() + " " + h.free() + " " + h.minFree() + " " + h.largestFree() + " " + h.allocated();
            case Corruption c -> "corruption " + c.kind() + " " + c.address();
            case Crash c -> "crash " + c.reason() + " " + c.backtrace() + " " + c.truncated() + " core " + c.core();
            case Snapshot s -> "snapshot " + s.boundary() + " " + s.kind() + " " + s.declared();
            default -> e.getClass().getSimpleName();
        };
    }

    static List<String> signatures(Decoded d) {
        return d.events().stream().map(e -> signature(e, d.recording())).toList();
    }

    private static String mapLines(String log, UnaryOperator<String> f) {
        return log.lines().map(f).map(l -> l + "\n").collect(Collectors.joining());
    }

    static String ansi(String log) {
        return mapLines(log, l -> "\u001b[0;32m" + l + "\u001b[0m");
    }

    static String crlf(String log) {
        return log.replace("\n", "\r\n");
    }

    static String hostTime(String log) {
        int[] n = {0};
        return mapLines(log, l -> String.format("[12:%02d:%02d]", n[0] / 60 % 60, n[0]++ % 60) + l);
    }

    /** Another task's log line after every line of the message. */
    static String interleave(String log) {
        int[] n = {0};
        return mapLines(log, l -> l + "\n\u001b[0;32mI (" + (5000 + n[0]) + ") wifi: noise line " + n[0]++ + "\u001b[0m");
    }

    /** What idf.py monitor adds after a line with addresses. */
    static String decorate(String log) {
        return mapLines(log, l -> ADDRESS.matcher(l).find()
                ? l + "\n--- 0x40081234: some_func at /idf/components/x/x.c:12\n0x40081238: other at x.c:13\n (inlined by) third at y.c:1\n"
                : l);
    }

    static String all(String log) {
        return crlf(hostTime(ansi(interleave(decorate(log)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void noiseChangesNothing(Families.Family f) {
        Decoded clean = Decoded.of(f.log());
        assertThat(clean.events()).isNotEmpty();
        for (UnaryOperator<String> noise : List.<UnaryOperator<String>>of(NoiseTest::ansi, NoiseTest::crlf, NoiseTest::hostTime,
                NoiseTest::interleave, NoiseTest::decorate, NoiseTest::all)) {
            Decoded noisy = Decoded.of(noise.apply(f.log()));
            assertThat(signatures(noisy)).isEqualTo(signatures(clean));
            assertThat(noisy.warnings()).isEqualTo(clean.warnings());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void cutLinesAndEndingsNeverThrowAndWarningsNameARealLine(Families.Family f) {
        List<String> lines = f.log().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            List<String> cut = new ArrayList<>(lines);
            cut.set(i, line.substring(0, line.length() / 2));
            String cutLog = String.join("\n", cut) + "\n";
            String ended = String.join("\n", lines.subList(0, i)) + (i > 0 ? "\n" : "") + line.substring(0, line.length() / 2);
            for (String log : List.of(cutLog, ended, all(cutLog))) {
                assertThatCode(() -> {
                    try {
                        Decoded d = Decoded.of(log);
                        assertThat(d.warningLines()).allSatisfy(n -> assertThat(n).isBetween(1L, (long) log.lines().count()));
                    } catch (InputException e) {
                        assertThat(e.getMessage()).contains("no heap data found"); // a log cut before its first heap message
                    }
                }).as("%s, line %d cut", f.name(), i + 1).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void cutHeapRegionLineIsWarnedAndTheOthersKept() {
        Decoded d = Decoded.of(Families.HEAP_INFO.replace("largest_free_block 196608 alloc_blocks 63 free_blocks 1 total_blocks 64", "largest_free_bl"));
        assertThat(d.samples()).extracting(HeapSample::largestFree).containsExactly(-1L, 21504L, 196608L);
        assertThat(d.warningLines()).containsExactly(2L, 3L);
    }

    @Test
    void cutBacktraceKeepsItsIntactEntries() {
        Decoded d = Decoded.of(all(Families.CRASH_XTENSA.replace("0x400d3a19:0x3ffb5f50 0x40087f2d:0x3ffb5f70", "0x400d3a19:0x3ffb5f50 0x4008")));
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.backtrace()).containsExactly(0x400d2c5cL, 0x400d3a19L);
            assertThat(c.truncated()).isTrue();
        });
        assertThat(d.warnings()).singleElement().asString().contains("2 intact entries");
        // the message's line 9, after 12 decoration lines (3 register lines with addresses), every line followed by a noise line
        assertThat(d.warningLines()).containsExactly(41L);
    }

    @Test
    void cutCorruptionLineStillReportsTheCorruption() {
        Decoded d = Decoded.of("CORRUPT HEAP: Bad head at 0x3ffb\n" + Families.CORRUPTION.lines().skip(1).map(l -> l + "\n").collect(Collectors.joining()));
        assertThat(d.corruptions()).extracting(Corruption::kind).containsExactly("bad head", "bad tail", "invalid data", "invalid data", "bad size", "heap assert");
        assertThat(d.corruptions().get(0).address()).isZero();
        assertThat(d.warningLines()).containsExactly(1L);
    }

    @Test
    void cutLeakRecordIsSkippedWithItsLineAndTheSummaryDisagrees() {
        Decoded d = Decoded.of(Families.LEAK_TRACKER.replace("Size: 336000 bytes", "Size: 336"));
        assertThat(d.allocs()).extracting(Alloc::address).containsExactly(0x4ff4fb84L);
        // the size line, the record it belonged to, the PSRAM count (0 decoded), the totals
        assertThat(d.warningLines()).containsExactly(9L, 7L, 24L, 22L);
    }

    @Test
    void logEndingInsideALeakTrackerReportKeepsItsRecords() {
        String log = Families.LEAK_TRACKER.substring(0, Families.LEAK_TRACKER.indexOf("--- LEAK #2"));
        Decoded d = Decoded.of(log);
        assertThat(d.allocs()).hasSize(1);
        assertThat(d.snapshots()).extracting(Snapshot::boundary).containsExactly(Snapshot.Boundary.START, Snapshot.Boundary.END);
        assertThat(d.warningLines()).containsExactly(2L);
    }

    @Test
    void logEndingInsideACrashEmitsItWithAWarning() {
        Decoded d = Decoded.of("I (1) app: start\nabort() was called at PC 0x400d3b2b on core 0\n\n");
        assertThat(d.crashes()).singleElement().satisfies(c -> assertThat(c.backtrace()).isEmpty());
        assertThat(d.warningLines()).containsExactly(2L);
    }
}
