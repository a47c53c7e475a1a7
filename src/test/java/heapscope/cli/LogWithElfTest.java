package heapscope.cli;

import heapscope.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serial log with a heap_trace_dump, a heap corruption in one of its blocks and the abort that follows,
 * analysed with the example firmware's ELF: the corruption names the block it hit with that block's allocation
 * stack, and the backtrace is resolved to functions and lines.
 */
class LogWithElfTest {
    private static final Path EXAMPLE = Fixtures.example("connection");

    @TempDir
    Path dir;


    @Test
    void corruptionAndCrashAreResolved() throws Exception {
        Map<String, Long> s = Fixtures.exampleCallSites();
        String callers = String.format("0x%08x:0x%08x:0x%08x", s.get("malloc heap_caps_malloc"), s.get("peer_connection_open malloc"),
                s.get("on_new_connection peer_connection_open"));
        String log = String.join("\n",
                "ESP-ROM:esp32p4-eco2-20240710",
                "====== Heap Trace: 1 records (100 capacity) ======",
                "  1536 bytes (@ 0x4ff40100, Internal) allocated CPU 0 ccount 0x12345678 caller " + callers,
                "====== Heap Trace Summary ======",
                "Mode: Heap Trace Leaks",
                "1536 bytes 'leaked' in trace (1 allocations)",
                "records: 1 (100 capacity, 1 high water mark)",
                "total allocations: 1",
                "total frees: 0",
                "================================",
                "CORRUPT HEAP: Bad head at 0x4ff400f8. Expected 0xabba1234 got 0x3ffe4364",
                "",
                "assert failed: multi_heap_free multi_heap_poisoning.c:279 (head != NULL)",
                "",
                // program counters of a backtrace are the instructions themselves: a return address minus one lies in the caller
                String.format("Backtrace: 0x%08x:0x4ff3ff00 0x%08x:0x4ff3ff20", s.get("callback_init pthread_mutex_init") - 2,
                        s.get("on_new_connection peer_connection_open") - 2),
                "");
        Path file = Files.writeString(dir.resolve("crash.log"), log);
        CliRun run = CliRun.of("analyze", file.toString(), "--elf", EXAMPLE.resolve("app.elf").toString(), "--color", "never");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Memory errors (1 report)")
                .contains("damage at 0x4ff400f8, 8 bytes before the start of the 1536-byte block at 0x4ff40100, allocated by:")
                .contains("it stopped the firmware: the crash at line")
                .contains("peer_connection_open at /project/components/webrtc/peer_connection.c:29")
                .contains("Crashes (1)")
                .contains("assert failed: multi_heap_free")
                .contains("callback_init at /project/components/webrtc/peer_connection.c:8")
                .contains("on_new_connection at /project/main/app_main.c:30");
    }
}
