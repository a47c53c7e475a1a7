package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.TinyTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two per-core traces whose clocks put a free on core 1 a few ticks before core 0's allocation of the block:
 * merged by time, the free comes first, and is paired with the allocation.
 */
class CoreSkewTest {
    private static final long[] CALLERS = {0x400D1234L, 0x400D5678L};

    @TempDir
    Path dir;

    @Test
    void aFreeSortedBeforeItsAllocationOnTheOtherCoreIsNoLeak() throws Exception {
        TinyTrace core0 = new TinyTrace().task(0x3FFB1000L, "producer");
        TinyTrace core1 = new TinyTrace().task(0x3FFB2000L, "consumer");
        // core 0 allocates at tick 1000 after its preamble; core 1's clock says it freed it 40 ticks (1 us) earlier
        core0.w.heapAlloc(0, 512, 0x3FFB8000L, 64, CALLERS, 2, 2, 1000);
        core1.w.heapFree(1, 512, 0x3FFB8000L, CALLERS, 2, 2, 960);
        // a real leak on core 0 later, and a real unmatched free on core 1 far from any allocation
        core0.w.heapAlloc(0, 512, 0x3FFB9000L, 32, CALLERS, 2, 2, 400_000);
        core1.w.heapFree(1, 512, 0x3FFBA000L, CALLERS, 2, 2, 800_000);
        Path c0 = core0.write(dir.resolve("cpu0.svdat"));
        Path c1 = core1.write(dir.resolve("cpu1.svdat"));

        String events = CliRun.of("events", c0.toString(), c1.toString()).out();
        assertThat(events.indexOf("free @ 0x3ffb8000")).as(events).isLessThan(events.indexOf("alloc 64 bytes @ 0x3ffb8000"))
                .isNotNegative();
        JsonNode r = new ObjectMapper().readTree(CliRun.of("analyze", c0.toString(), c1.toString(), "--format", "json").out());
        assertThat(r.at("/summary/leaked_blocks").asInt()).isEqualTo(1);
        assertThat(r.at("/leaks/0/address").asText()).isEqualTo("0x3ffb9000");
        assertThat(r.at("/diagnostics/reordered_pairs").asInt()).isEqualTo(1);
        assertThat(r.at("/diagnostics/unmatched_frees/count").asInt()).isEqualTo(1);
        assertThat(r.at("/diagnostics/unmatched_frees/examples/0/address").asText()).isEqualTo("0x3ffba000");
    }
}
