package heapscope.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.analysis.LeakReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The speedscope export against the published schema (https://www.speedscope.app/file-format-schema.json): the
 * required fields of FileFormat.File, Frame and SampledProfile with their types and enums, checked by hand since
 * no JSON-schema validator is among the dependencies.
 */
class SpeedscopeExportTest {
    private static final Set<String> UNITS = Set.of("bytes", "microseconds", "milliseconds", "nanoseconds", "none", "seconds");

    @TempDir
    Path dir;

    /** Asserts the schema's required structure and returns the file. */
    static JsonNode validate(byte[] json) throws IOException {
        JsonNode file = new ObjectMapper().readTree(json);
        assertThat(file.path("$schema").asText()).isEqualTo("https://www.speedscope.app/file-format-schema.json");
        JsonNode frames = file.path("shared").path("frames");
        assertThat(frames.isArray()).isTrue();
        for (JsonNode f : frames) {
            assertThat(f.path("name").isTextual()).as(f.toString()).isTrue();
            assertThat(f.path("file").isMissingNode() || f.path("file").isTextual()).isTrue();
            assertThat(f.path("line").isMissingNode() || f.path("line").isNumber()).isTrue();
        }
        assertThat(file.path("profiles").isArray()).isTrue();
        assertThat(file.path("profiles")).isNotEmpty();
        for (JsonNode p : file.path("profiles")) {
            assertThat(p.path("type").asText()).isEqualTo("sampled");
            assertThat(p.path("name").isTextual()).isTrue();
            assertThat(UNITS).contains(p.path("unit").asText());
            assertThat(p.path("startValue").isNumber()).isTrue();
            assertThat(p.path("endValue").isNumber()).isTrue();
            assertThat(p.path("samples").isArray()).isTrue();
            assertThat(p.path("weights").isArray()).isTrue();
            assertThat(p.path("weights")).hasSameSizeAs(p.path("samples"));
            long sum = 0;
            for (JsonNode w : p.path("weights")) {
                assertThat(w.isNumber()).isTrue();
                sum += w.asLong();
            }
            assertThat(p.path("endValue").asLong() - p.path("startValue").asLong()).isEqualTo(sum);
            for (JsonNode s : p.path("samples")) {
                assertThat(s.isArray()).isTrue();
                for (JsonNode i : s) {
                    assertThat(i.isInt()).isTrue();
                    assertThat(i.asInt()).isBetween(0, frames.size() - 1);
                }
            }
        }
        if (file.has("activeProfileIndex")) {
            assertThat(file.path("activeProfileIndex").asInt()).isBetween(0, file.path("profiles").size() - 1);
        }
        return file;
    }

    @Test
    void sampledProfilesOfLeakedAndAllocatedBytesMatchTheReport() throws IOException {
        LeakReport report = Exports.analyze(null, Exports.exampleInputs());
        String[] args = {Exports.exampleInputs()[0], Exports.exampleInputs()[1], "--elf", Exports.elf()};
        JsonNode file = validate(Exports.export(dir, "speedscope", args));
        JsonNode frames = file.path("shared").path("frames");
        List<JsonNode> profiles = List.of(file.path("profiles").get(0), file.path("profiles").get(1), file.path("profiles").get(2));
        assertThat(profiles).extracting(p -> p.path("name").asText() + "/" + p.path("unit").asText())
                .containsExactly("leaked bytes/bytes", "leaked blocks/none", "allocated bytes/bytes");
        assertThat(profiles.get(0).path("endValue").asLong()).isEqualTo(Exports.EXAMPLE_LEAKED_BYTES);
        assertThat(profiles.get(1).path("endValue").asLong()).isEqualTo(830);
        long allocated = 0;
        for (long b : report.allocated().bytes()) {
            allocated += b;
        }
        assertThat(profiles.get(2).path("endValue").asLong()).isEqualTo(allocated);

        JsonNode biggest = profiles.get(0).path("samples").get(0);
        assertThat(profiles.get(0).path("weights").get(0).asLong()).isEqualTo(64_512);
        assertThat(frames.get(biggest.get(0).asInt()).path("name").asText()).as("root first").isEqualTo("_start");
        JsonNode leaf = frames.get(biggest.get(biggest.size() - 1).asInt());
        assertThat(leaf.path("name").asText()).isEqualTo("pvPortMalloc");
        assertThat(leaf.path("file").asText()).endsWith("queue.c");
        assertThat(leaf.path("line").asInt()).isEqualTo(6);
    }

    @Test
    void samplesSharingACallerPathAreContiguousAndEachFunctionIsOneFrame() throws IOException {
        String[] args = {Exports.exampleInputs()[0], Exports.exampleInputs()[1], "--elf", Exports.elf()};
        JsonNode file = validate(Exports.export(dir, "speedscope", args));
        JsonNode frames = file.path("shared").path("frames");
        Set<String> functions = new HashSet<>();
        for (JsonNode f : frames) {
            assertThat(functions.add(f.path("name").asText() + " in " + f.path("file").asText())).as("one frame per function: %s", f).isTrue();
        }
        for (JsonNode profile : file.path("profiles")) {
            // "Time Order" draws the samples in file order: a caller path that comes back later is a second box
            List<List<Integer>> stacks = new ArrayList<>();
            profile.path("samples").forEach(sample -> {
                List<Integer> ids = new ArrayList<>();
                sample.forEach(id -> ids.add(id.asInt()));
                stacks.add(ids);
            });
            int depth = stacks.stream().mapToInt(List::size).max().orElse(0);
            for (int d = 1; d <= depth; d++) {
                Set<List<Integer>> closed = new HashSet<>();
                List<Integer> open = null;
                for (List<Integer> stack : stacks) {
                    List<Integer> prefix = stack.size() >= d ? stack.subList(0, d) : null;
                    if (open != null && !open.equals(prefix)) {
                        closed.add(open);
                    }
                    assertThat(prefix == null || !closed.contains(prefix)).as("%s: caller path %s again after others", profile.path("name").asText(), prefix).isTrue();
                    open = prefix;
                }
            }
            assertThat(Set.copyOf(stacks)).as("each stack once").hasSize(stacks.size());
        }
    }

    @Test
    void speedscopeImportsItWithoutAWarning() throws Exception {
        String[] args = {Exports.exampleInputs()[0], Exports.exampleInputs()[1], "--elf", Exports.elf()};
        JsonNode seen = Speedscope.open(Exports.exportFile(dir, "speedscope", args), dir);
        assertThat(seen.path("warnings")).as(seen.toString()).isEmpty();
        assertThat(seen.path("errors")).as(seen.toString()).isEmpty();
        assertThat(seen.path("title").asText()).endsWith(" - speedscope").startsWith("heapscope ");
        assertThat(seen.path("text").asText()).contains("leaked bytes (1/3)");
    }
}
