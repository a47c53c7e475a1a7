package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Event;
import heapscope.trace.Free;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap listings, heap info blocks and sysviewtrace_proc events that a terminal wrapped decode to the same events as
 * the lines it was given. The logs are written here after ESP-IDF's format strings (docs/log-formats.md), with
 * made-up addresses; records are long (deep call stacks, large figures, host clocks) so that each width cuts some.
 */
class WrappedRecordsTest {
    /** A v5.1+ HEAP_TRACE_ALL dump: memory labels, ten-frame stacks, a "freed by" line, and its summary. */
    private static final String DUMP = """
            ====== Heap Trace: 3 records (100 capacity) ======
                96 bytes (@ 0x3fcb2a10, Internal) allocated CPU 0 ccount 0x1a2b3c4d caller 0x42008a5e:0x42009b12:0x4200c3f4:0x420d11a8:0x42013c0c:0x40385a1e:0x40385b30:0x4037f0e2:0x420a0b10:0x420a1c20
            freed by 0x4200c404:0x420d11b8:0x42013c1c:0x40385a2e:0x40385b40:0x4037f0f2:0x420a0b20:0x420a1c30:0x42008a6e:0x42009b22
              1024 bytes (@ 0x3c0a1b20,   PSRAM) allocated CPU 1 ccount 0x2b3c4d5e caller 0x42008a5e:0x42009b12:0x4200c3f4:0x420d11a8:0x42013c0c:0x40385a1e:0x40385b30:0x4037f0e2:0x420a0b10:0x420a1c20
                16 bytes (@ 0x3fcb2b40, Internal) allocated CPU 0 ccount 0x3c4d5e6f caller 0x4200e010:0x4200e020:0x0:0x0
            ====== Heap Trace Summary ======
            Mode: Heap Trace All
            1040 bytes alive in trace (2/3 allocations)
            records: 3 (100 capacity, 3 high water mark)
            hashmap: 250 capacity (12 hits, 3 misses)
            total allocations: 3
            total frees: 1
            ================================
            """;

    /** A v4.4-v5.0 HEAP_TRACE_LEAKS dump behind a terminal's clock, as a header-less excerpt. */
    private static final String OLD_DUMP = """
            [09:14:02.517] 4120 bytes (@ 0x3ffb8a40) allocated CPU 1 ccount 0x71c3a2e8 caller 0x400d6a31:0x400d6b52:0x400e1c04:0x400e2d10:0x40089e4d
            [09:14:02.517] 52 bytes (@ 0x3ffb9b70) allocated CPU 0 ccount 0x71c4b3f9 caller 0x400d7a42:0x400d7b63:0x400e1c04:0x400e2d10:0x40089e4d
            [09:14:02.518] 4172 bytes 'leaked' in trace (2 allocations)
            [09:14:02.518] total allocations 311 total frees 309
            """;

    /**
     * heap_caps_print_heap_info() with large figures behind two clocks (a forwarded log), so that lines reach past
     * 132 columns too.
     */
    private static final String HEAP_INFO = """
            10:10:01.243 -> [18:26:36.120] Heap summary for capabilities 0x00001800:
            10:10:01.243 -> [18:26:36.120]   At 0x3fc9a0b4 len 4194304000 free 4194000001 allocated 303999 min_free 4193000002
            10:10:01.243 -> [18:26:36.121]     largest_free_block 4190000003 alloc_blocks 1000000004 free_blocks 1000000005 total_blocks 2000000009
            10:10:01.243 -> [18:26:36.121]   At 0x3fce0000 len 327680 free 201234 allocated 126446 min_free 190000
            10:10:01.243 -> [18:26:36.121]     largest_free_block 196608 alloc_blocks 612 free_blocks 9 total_blocks 621
            10:10:01.243 -> [18:26:36.122]   Totals:
            10:10:01.243 -> [18:26:36.122]     free 4194201235 allocated 430445 min_free 4193190002 largest_free_block 4190000003
            """;

    /** sysviewtrace_proc.py -p without -b: callers as addresses, an IRQ, a long task name, and the leak report. */
    private static final String SYSVIEW = """
            [0.012272225] HEAP: Allocated 2500 bytes @ 0x3ffb580c from task "wifi_prov_mgr_task" on core 1 by: 0x400d1c2a:0x400d2b3c:0x400e4d5e:0x40088a1b:0x40089c2d:0x4008a3e4
            [0.012307300] HEAP: Allocated 64 bytes @ 0x3ffb61d4 from IRQ "timer_isr" on core 0 by: 0x40081a2b:0x40082b3c
            [0.012323775] HEAP: Freed bytes @ 0x3ffb61d4 from task "wifi_prov_mgr_task" on core 1 by: 0x400d1d3b:0x400d2c4d:0x400e4e6f:0x40088b2c

            =============== HEAP TRACE REPORT ===============
            Processed 3 heap events.
            [0.012272225] HEAP: Allocated 2500 bytes @ 0x3ffb580c from task "wifi_prov_mgr_task" on core 1 by: 0x400d1c2a:0x400d2b3c:0x400e4d5e:0x40088a1b:0x40089c2d:0x4008a3e4

            Found 2500 leaked bytes in 1 blocks.
            """;

    private static final Map<String, String> LOGS = Map.of("dump", DUMP, "old dump", OLD_DUMP, "heap info", HEAP_INFO, "sysview", SYSVIEW);

    static Stream<Arguments> wraps() {
        List<Arguments> all = new ArrayList<>();
        for (String log : LOGS.keySet().stream().sorted().toList()) {
            for (int width : new int[] {60, 72, 80, 100, 120, 132}) {
                all.add(Arguments.of(log, width));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} wrapped at {1}")
    @MethodSource("wraps")
    void aWrappedRecordReadsAsTheLineItWas(String log, int width) {
        String text = LOGS.get(log);
        assertThat(text.lines().mapToInt(String::length).max().orElse(0)).as("some line is cut").isGreaterThan(width);
        Decoded wrapped = Decoded.of(PastedCorpusTest.wrap(text, width));

        assertThat(wrapped.warnings()).isEmpty();
        assertThat(fields(wrapped)).isEqualTo(fields(Decoded.of(text)));
    }

    @Test
    void theLogsReadAsWritten() {
        assertThat(fields(Decoded.of(DUMP))).containsExactly("snapshot",
                "alloc 96 @ 0x3fcb2a10 core 0 INTERNAL [42008a5e, 42009b12, 4200c3f4, 420d11a8, 42013c0c, 40385a1e, 40385b30, 4037f0e2, 420a0b10, 420a1c20]",
                "free @ 0x3fcb2a10 [4200c404, 420d11b8, 42013c1c, 40385a2e, 40385b40, 4037f0f2, 420a0b20, 420a1c30, 42008a6e, 42009b22]",
                "alloc 1024 @ 0x3c0a1b20 core 1 PSRAM [42008a5e, 42009b12, 4200c3f4, 420d11a8, 42013c0c, 40385a1e, 40385b30, 4037f0e2, 420a0b10, 420a1c20]",
                "alloc 16 @ 0x3fcb2b40 core 0 INTERNAL [4200e010, 4200e020]", "snapshot");
        assertThat(fields(Decoded.of(HEAP_INFO))).containsExactly(
                "sample caps 0x00001800 @ 0x3fc9a0b4 free 4194000001 min 4193000002 largest 4190000003 allocated 303999 len 4194304000"
                        + " blocks 1000000004/1000000005/2000000009",
                "sample caps 0x00001800 @ 0x3fce0000 free 201234 min 190000 largest 196608 allocated 126446 len 327680 blocks 612/9/621",
                "sample caps 0x00001800 free 4194201235 min 4193190002 largest 4190000003 allocated 430445 len -1 blocks -1/-1/-1");
        assertThat(fields(Decoded.of(SYSVIEW))).hasSize(6).contains(
                "alloc 2500 @ 0x3ffb580c core 1 UNSTATED [400d1c2a, 400d2b3c, 400e4d5e, 40088a1b, 40089c2d, 4008a3e4]",
                "free @ 0x3ffb61d4 [400d1d3b, 400d2c4d, 400e4e6f, 40088b2c]");
        assertThat(Decoded.of(DUMP).warnings()).isEmpty();
        assertThat(Decoded.of(OLD_DUMP).warnings()).isEmpty();
        assertThat(Decoded.of(HEAP_INFO).warnings()).isEmpty();
        assertThat(Decoded.of(SYSVIEW).warnings()).isEmpty();
    }

    @Test
    void quotedAfterTheWrapAndAmongColouredLogLinesStillJoins() {
        String coloured = "\u001b[0;32mI (1234) app: " + "x".repeat(60) + "\u001b[0m\n"; // 80 columns, 91 bytes
        String log = coloured + PastedCorpusTest.wrap(DUMP, 80);
        Decoded d = Decoded.of(PastedCorpusTest.prefix(log, n -> n + ". ", null));

        assertThat(d.warnings()).isEmpty();
        assertThat(fields(d)).isEqualTo(fields(Decoded.of(DUMP)));
    }

    @Test
    void twoWholeRecordsAreNeverJoined() {
        // each record is as wide as the widest line: the next one begins a record, so it is no rest
        String log = """
                16 bytes (@ 0x3ffd1914) allocated CPU 1 ccount 0x419d1cf8 caller 0x4010a09b:0x4010a0c6
                16 bytes (@ 0x3ffd18cc) allocated CPU 1 ccount 0x419d5680 caller 0x4010a09b:0x4010a0c6
                32 bytes 'leaked' in trace (2 allocations)
                total allocations 2 total frees 0
                """;
        Decoded d = Decoded.of(log);

        assertThat(d.warnings()).isEmpty();
        assertThat(fields(d)).containsExactly("snapshot", "alloc 16 @ 0x3ffd1914 core 1 UNSTATED [4010a09b, 4010a0c6]",
                "alloc 16 @ 0x3ffd18cc core 1 UNSTATED [4010a09b, 4010a0c6]", "snapshot");
    }

    @Test
    void aLogLineAfterARecordAtTheWidthIsNoRest() {
        String log = """
                Heap summary for capabilities 0x00000004:
                  At 0x3fcb1270 len 32767 free 32031 allocated 0 min_free 32031
                I (5) app: 6
                    largest_free_block 31744 alloc_blocks 0 free_blocks 1 total_blocks 1
                  Totals:
                    free 32031 allocated 0 min_free 32031 largest_free_block 31744
                """;
        Decoded d = Decoded.of(log);

        assertThat(d.warnings()).isEmpty();
        assertThat(d.samples()).extracting(HeapSample::minFree).containsExactly(32031L, 32031L);
    }

    @Test
    void aCutRecordWhoseRestNeverComesIsAWarning() {
        String log = """
                16 bytes (@ 0x3ffd1914) allocated CPU 1 ccount 0x419d1cf8 caller 0x4010a09b:0x4010a0c6
                16 bytes (@ 0x3ffd18cc) allocated CPU 1 cc
                16 bytes (@ 0x3ffd18e0) allocated CPU 1 ccount 0x419d5690 caller 0x4010a09b:0x4010a0c6
                48 bytes 'leaked' in trace (3 allocations)
                total allocations 3 total frees 0
                """;
        Decoded d = Decoded.of(log);

        assertThat(d.all(Alloc.class)).extracting(Alloc::address).containsExactly(0x3ffd1914L, 0x3ffd18e0L);
        assertThat(d.recording().warnings()).extracting(w -> w.position() + " " + w.message()).contains("2 garbled heap trace record skipped");
    }

    /** Each event as a string, with its stack's frames and without its line number (a wrap moves it). */
    private static List<String> fields(Decoded d) {
        StackTable stacks = d.recording().stacks();
        List<String> out = new ArrayList<>();
        for (Event e : d.events()) {
            switch (e) {
                case Alloc a -> out.add("alloc " + a.size() + " @ 0x" + Long.toHexString(a.address()) + " core " + a.core() + " " + a.memory()
                        + " " + frames(stacks, a.stack()));
                case Free f -> out.add("free @ 0x" + Long.toHexString(f.address()) + " " + frames(stacks, f.stack()));
                case HeapSample h -> out.add("sample " + h.label() + " free " + h.free() + " min " + h.minFree() + " largest " + h.largestFree()
                        + " allocated " + h.allocated() + " len " + h.length() + " blocks " + h.allocBlocks() + "/" + h.freeBlocks() + "/"
                        + h.totalBlocks());
                case Snapshot s -> out.add("snapshot");
                default -> out.add(e.getClass().getSimpleName());
            }
        }
        return out;
    }

    private static String frames(StackTable stacks, int stack) {
        return Arrays.toString(Arrays.stream(stacks.frames(stack)).mapToObj(Long::toHexString).toArray());
    }
}
