package heapscope.log;

import heapscope.Fixtures;
import heapscope.trace.LogNames;
import heapscope.trace.LogNames.Name;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The names idf.py monitor printed for the addresses of a log are kept, in every form monitors print them. */
class DecodedAddressLinesTest {
    /** A log without a heap message is not a capture: each log below has this one. */
    private static final String HEAP_INFO = "CORRUPT HEAP: Bad tail at 0x3ffe04d1. Expected 0xbaad5678 got 0xcececece\n";

    private static LogNames names(String log) {
        return Decoded.of(HEAP_INFO + log).recording().logNames();
    }

    @Test
    void olderMonitorsLinesWithInlinedByAndDiscriminatorFromARealLog() {
        // ESP-IDF v3 idf_monitor: "0xADDR: f at file:line", " (inlined by) ..." (issue 1582)
        LogNames n = Decoded.file(Fixtures.corpus("serial-logs/issue-espressif-esp-idf-1582-corrupt_heap_bad_tail_abort.txt")).recording().logNames();
        assertThat(n.get(0x400889bbL)).containsExactly(
                new Name("multi_heap_assert", "/home/permal/esp/esp-idf/components/heap/./multi_heap.c", 339),
                new Name("multi_heap_malloc_impl", "/home/permal/esp/esp-idf/components/heap/./multi_heap.c", 370));
        assertThat(n.get(0x40089108L)).containsExactly(new Name("invoke_abort", "/home/permal/esp/esp-idf/components/esp32/./panic.c", 648));
        // issue 13786: a Windows path, "(discriminator 1)", and "??:?" for a library without debug information
        LogNames w = Decoded.file(Fixtures.corpus("serial-logs/issue-espressif-esp-idf-13786-alloc_hook_backtrace.txt")).recording().logNames();
        assertThat(w.get(0x40375feeL)).containsExactly(new Name("heap_caps_malloc_base", "C:/src/esp-idf/components/heap/heap_caps.c", 183));
        assertThat(w.get(0x420af6a1L)).containsExactly(new Name("esf_buf_alloc_dynamic", null, 0));
    }

    @Test
    void currentMonitorsLinesWithTheirPrefixColoursAndRomFrames() {
        LogNames n = names(String.join("\n",
                "I (100) app: caller 0x4200a1b6:0x40376183:0x40000b2c:0x4200ffff",
                // esp-idf-monitor 1.x: the function yellow, the file green, the line red, all after "--- "
                "--- 0x4200a1b6: \u001b[0;33mconn_open\u001b[0m at \u001b[0;32m/project/main/conn.c\u001b[0m:\u001b[0;31m12\u001b[0m",
                "--- (inlined by) \u001b[0;33mapp_main\u001b[0m at \u001b[0;32m/project/main/main.c\u001b[0m:\u001b[0;31m40\u001b[0m",
                "[10:00:00.907] --- 0x40376183: heap_caps_malloc at heap_caps.c:84",
                "--- 0x40000b2c: memcpy in ROM",
                "--- 0x4200ffff: (unknown)",
                ""));
        assertThat(n.get(0x4200a1b6L)).containsExactly(new Name("conn_open", "/project/main/conn.c", 12), new Name("app_main", "/project/main/main.c", 40));
        assertThat(n.get(0x40376183L)).containsExactly(new Name("heap_caps_malloc", "heap_caps.c", 84));
        assertThat(n.get(0x40000b2cL)).containsExactly(new Name("memcpy", null, 0));
        assertThat(n.get(0x4200ffffL)).isEmpty();
    }

    @Test
    void theLeakTrackersDecodedBacktraceFromItsDocumentation() {
        // seed 000: a leak tracker whose backtrace idf.py monitor decoded, one address of three
        assertThat(Decoded.of(Families.LEAK_TRACKER).recording().logNames().get(0x4ff08bf6L)).containsExactly(new Name("xQueueCreateMutex", "queue.c", 10));
    }

    @Test
    void anInlinedByLineBelongsOnlyToTheAddressLineBeforeIt() {
        LogNames n = names(String.join("\n",
                "--- 0x4200a1b6: f at a.c:1",
                "--- 0x4200a1b6: g at b.c:2", // the same address again: the first naming stands, its chain is not extended
                "--- (inlined by) h at c.c:3",
                "I (5) app: unrelated",
                "--- 0x4200a2c0: ?? ??:0", // names nothing: the next inlined-by line has nothing to continue
                " (inlined by) k at d.c:4",
                ""));
        assertThat(n.get(0x4200a1b6L)).containsExactly(new Name("f", "a.c", 1));
        assertThat(n.get(0x4200a2c0L)).isEmpty();
        assertThat(n.size()).isEqualTo(1);
    }

    @Test
    void decodedLinesDoNotDisturbTheDumpTheyAreIn() {
        Decoded d = Decoded.of(String.join("\n",
                "====== Heap Trace: 1 records (8 capacity) ======",
                "    84 bytes (@ 0x3fc9f620, Internal) allocated CPU 0 ccount 0x1a31ac84 caller 0x40376321:0x4200a1b6",
                "--- 0x40376321: heap_caps_malloc at heap_caps.c:84",
                "--- 0x4200a1b6: conn_open at conn.c:12",
                "--- (inlined by) app_main at main.c:40",
                "====== Heap Trace Summary ======",
                "Mode: Heap Trace Leaks",
                "84 bytes 'leaked' in trace (1 allocations)",
                "records: 1 (8 capacity, 1 high water mark)",
                "total allocations: 1",
                "total frees: 0",
                "================================",
                ""));
        assertThat(d.allocs()).hasSize(1);
        assertThat(d.warnings()).isEmpty();
        assertThat(d.recording().messages()).isZero();
        assertThat(d.recording().logNames().size()).isEqualTo(2);
    }
}
