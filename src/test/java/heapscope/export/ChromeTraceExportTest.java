package heapscope.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.analysis.LeakReport;
import heapscope.analysis.Timeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Chrome trace export against the Trace Event Format's requirements (JSON object form): a traceEvents array
 * whose events carry name, ph, pid and tid, a ts in microseconds except metadata, a dur on complete events, numeric
 * args on counters and a scope on instant events.
 */
class ChromeTraceExportTest {
    @TempDir
    Path dir;

    /** Asserts the format's required fields and returns the events. */
    static List<JsonNode> validate(byte[] json) throws IOException {
        JsonNode file = new ObjectMapper().readTree(json);
        assertThat(file.path("traceEvents").isArray()).isTrue();
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode e : file.path("traceEvents")) {
            assertThat(e.path("name").isTextual()).as(e.toString()).isTrue();
            assertThat(e.path("pid").isInt()).isTrue();
            assertThat(e.path("tid").isInt()).isTrue();
            String ph = e.path("ph").asText();
            assertThat(ph).isIn("M", "C", "i", "X");
            if (!ph.equals("M")) {
                // whole microseconds: readers add dur to ts in floating point
                assertThat(e.path("ts").isIntegralNumber()).as(e.toString()).isTrue();
            }
            switch (ph) {
                case "M" -> assertThat(e.path("args").path("name").isTextual()).isTrue();
                case "C" -> {
                    assertThat(e.path("args").isObject()).isTrue();
                    e.path("args").properties().forEach(series -> {
                        assertThat(series.getValue().isNumber()).isTrue();
                        // the track's name as Perfetto forms it
                        assertThat(e.path("name").asText() + " " + series.getKey()).as("track name").doesNotContain("bytes bytes");
                    });
                }
                case "i" -> assertThat(e.path("s").asText()).isIn("g", "p", "t");
                default -> assertThat(e.path("dur").isIntegralNumber() && e.path("dur").asLong() >= 0).as(e.toString()).isTrue();
            }
            events.add(e);
        }
        return events;
    }

    @Test
    void timelineCountersCycleMarkersAndLeakSlices() throws IOException {
        LeakReport report = Exports.analyze(Exports.CYCLE, Exports.exampleInputs());
        String[] args = {Exports.exampleInputs()[0], Exports.exampleInputs()[1], "--elf", Exports.elf(), "--cycle", Exports.CYCLE};
        List<JsonNode> events = validate(Exports.export(dir, "chrome", args));

        List<Timeline.Point> timeline = report.timeline();
        List<JsonNode> live = events.stream().filter(e -> e.path("name").asText().equals("live traced bytes")).toList();
        assertThat(live).hasSize(timeline.size());
        for (int i = 0; i < timeline.size(); i++) {
            assertThat(live.get(i).path("ts").asLong()).isEqualTo(timeline.get(i).startNs() / 1000);
            assertThat(live.get(i).path("args").path("min").asLong()).isEqualTo(timeline.get(i).min());
            assertThat(live.get(i).path("args").path("last").asLong()).isEqualTo(timeline.get(i).last());
        }
        long peak = live.stream().mapToLong(e -> e.path("args").path("max").asLong()).max().orElseThrow();
        assertThat(peak).isEqualTo(timeline.stream().mapToLong(Timeline.Point::max).max().orElseThrow());

        List<JsonNode> markers = events.stream().filter(e -> e.path("ph").asText().equals("i")).toList();
        assertThat(markers).hasSize(12);
        assertThat(markers.get(1).path("name").asText()).isEqualTo("cycle 2");
        assertThat(markers.get(1).path("args").path("marker").asText()).contains("New connection 2");
        List<JsonNode> cycles = events.stream().filter(e -> e.path("ph").asText().equals("X") && e.path("name").asText().startsWith("cycle ")).toList();
        assertThat(cycles).hasSize(12);
        assertThat(cycles.get(1).path("args").path("leaked_bytes").asLong()).isEqualTo(8_628);
        for (int i = 0; i + 1 < cycles.size(); i++) { // one cycle ends where the next begins: no overlap, no gap
            assertThat(cycles.get(i).path("ts").asLong() + cycles.get(i).path("dur").asLong()).as("end of cycle %d", i + 1)
                    .isEqualTo(cycles.get(i + 1).path("ts").asLong());
        }

        List<JsonNode> leaks = events.stream().filter(e -> e.path("ph").asText().equals("X") && e.path("name").asText().startsWith("leak #")).toList();
        assertThat(leaks).hasSize(report.groups().size());
        assertThat(leaks.stream().mapToLong(e -> e.path("args").path("bytes").asLong()).sum()).isEqualTo(Exports.EXAMPLE_LEAKED_BYTES);
        assertThat(leaks.get(0).path("args").path("stack").toString()).contains("callback_init at ");
        assertThat(Set.copyOf(leaks.stream().map(e -> e.path("tid").asInt()).toList())).as("one track each: they overlap").hasSize(leaks.size());
    }

    @Test
    void speedscopeImportsTheTraceWithoutAWarning() throws Exception {
        String[] args = {Exports.exampleInputs()[0], Exports.exampleInputs()[1], "--elf", Exports.elf(), "--cycle", Exports.CYCLE};
        Path trace = Exports.exportFile(dir, "chrome", args);
        JsonNode seen = Speedscope.open(trace, dir);
        // before: "Tried to end cycle 2 ... when cycle 3 was on the top of the stack", cycle 2 left open to the end
        assertThat(seen.path("warnings")).as(seen.toString()).isEmpty();
        assertThat(seen.path("errors")).as(seen.toString()).isEmpty();
        assertThat(seen.path("text").asText()).contains("cycles (tid 1)");
    }

    @Test
    void freeHeapReadingsOfASerialLogAreCounters() throws IOException {
        Path log = Files.writeString(dir.resolve("capture.log"), """
                I (1000) app: Free heap: 123456 bytes
                I (2000) app: Free heap: 120000 bytes
                I (4000) mem: Free heap: 118000, Min free heap: 100000, Largest free block: 65536
                """);
        List<JsonNode> events = validate(Exports.export(dir, "chrome", log.toString()));
        List<JsonNode> free = events.stream().filter(e -> e.path("name").asText().equals("free heap (default)")).toList();
        assertThat(free).extracting(e -> e.path("ts").asLong() + "=" + e.path("args").path("bytes").asLong())
                .containsExactly("1000000=123456", "2000000=120000", "4000000=118000");
        assertThat(events).filteredOn(e -> e.path("name").asText().equals("min free heap (default)"))
                .singleElement().satisfies(e -> assertThat(e.path("args").path("bytes").asLong()).isEqualTo(100_000));
    }
}
