package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.TinyTrace;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Free-heap readings the firmware prints with ESP_LOG while SystemView traces it arrive as print events. */
class TracePrintedSamplesTest {
    private static final long TICKS_PER_SECOND = 40_000_000; // TinyTrace's timestamp clock

    @TempDir
    Path dir;

    @Test
    void printedFreeHeapLinesBecomeATimedSeriesWithATrend() throws Exception {
        TinyTrace t = new TinyTrace().task(0x3FFB1000L, "main");
        long free = 200_000;
        for (int i = 0; i < 40; i++) { // a reading a second, 96 bytes fewer each time
            t.w.print(0, "I (" + i * 1000 + ") app: Free heap: " + free + " bytes\n", TICKS_PER_SECOND);
            free -= 96;
            t.w.print(0, "I (" + i * 1000 + ") app: heap left " + (free + 5) + ", request " + i + " done\n", 10);
        }
        t.w.print(0, "I (41000) heap_metrics: ext_free:0x1000 ext_lfb:0x800 ext_min_free_ever:0x400\n", 10);
        t.w.print(0, "I (41000) app: free memory @ 0x3ffb8010\n", 10); // not a reading
        Path trace = t.write(dir.resolve("printed.svdat"));

        JsonNode r = new ObjectMapper().readTree(CliRun.of("analyze", trace.toString(), "--format", "json",
                "--sample", "heap left (?<free>\\d+)(?<label>)").out());
        JsonNode samples = r.at("/incidents/samples");
        assertThat(r.at("/incidents/sample_count").asInt()).isEqualTo(81);
        assertThat(samples.get(0).at("/label").asText()).isEqualTo("default");
        assertThat(samples.get(0).at("/free").asLong()).isEqualTo(200_000);
        assertThat(samples.get(2).at("/free").asLong()).isEqualTo(200_000 - 96);
        assertThat(samples.get(2).at("/time_ns").asLong() - samples.get(0).at("/time_ns").asLong()).isEqualTo(1_000_000_000L + 250); // a second, plus the 10 ticks to the other line
        assertThat(samples.get(80).at("/label").asText()).isEqualTo("psram");
        assertThat(samples.get(80).at("/free").asLong()).isEqualTo(0x1000);
        JsonNode trend = r.at("/incidents/trends/0");
        assertThat(trend.at("/label").asText()).isEqualTo("default");
        assertThat(trend.at("/verdict").asText()).isEqualTo("leak");
        assertThat(trend.at("/slope").asDouble()).isCloseTo(-96, Assertions.within(1.0));
    }
}
