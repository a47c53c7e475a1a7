package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped example (examples/connection): it is exactly what its generator writes, and the README's command
 * gives the generator's ground truth, fully symbolized from the example firmware's ELF.
 */
class ExampleTest {
    private static final Path EXAMPLE = Fixtures.example("connection");

    @TempDir
    Path dir;

    @Test
    void theCommittedCaptureIsWhatTheGeneratorWrites() throws Exception {
        ConnectionScenario.write(dir, 12, 1, false, ConnectionScenario.Stacks.fromCallSites(Files.readAllLines(EXAMPLE.resolve("callsites.txt"))));
        assertThat(Files.readAllBytes(dir.resolve("cpu0.svdat"))).isEqualTo(Files.readAllBytes(EXAMPLE.resolve("cpu0.svdat")));
        assertThat(Files.readAllBytes(dir.resolve("cpu1.svdat"))).isEqualTo(Files.readAllBytes(EXAMPLE.resolve("cpu1.svdat")));
    }

    @Test
    void theCommittedFixedCaptureIsWhatTheGeneratorWritesWithFixed() throws Exception {
        Path fixed = EXAMPLE.resolve("fixed");
        ConnectionScenario.Truth truth = ConnectionScenario.write(dir, 12, 1, true,
                ConnectionScenario.Stacks.fromCallSites(Files.readAllLines(EXAMPLE.resolve("callsites.txt"))));
        assertThat(Files.readAllBytes(dir.resolve("cpu0.svdat"))).isEqualTo(Files.readAllBytes(fixed.resolve("cpu0.svdat")));
        assertThat(Files.readAllBytes(dir.resolve("cpu1.svdat"))).isEqualTo(Files.readAllBytes(fixed.resolve("cpu1.svdat")));
        assertThat(truth.bytesPerCycle()).as("the ground truth its README states").isEqualTo(3252);
        assertThat(truth.blocksPerCycle()).isEqualTo(5);
        assertThat(truth.leakedBytes()).isEqualTo(43_632);
        assertThat(truth.leakedBlocks()).isEqualTo(62);
        assertThat(Files.readString(fixed.resolve("README.md"))).contains("3,252 bytes, 5 blocks").contains("43,632 bytes in 62 blocks");
    }

    @Test
    void readmeCommandShowsTheSymbolizedPerConnectionLeak() throws Exception {
        ConnectionScenario.Truth truth = ConnectionScenario.write(dir, 12, 1, false,
                ConnectionScenario.Stacks.fromCallSites(Files.readAllLines(EXAMPLE.resolve("callsites.txt"))));
        CliRun run = CliRun.of("analyze", EXAMPLE.resolve("cpu0.svdat").toString(), EXAMPLE.resolve("cpu1.svdat").toString(),
                "--elf", EXAMPLE.resolve("app.elf").toString(), "--cycle", "New connection", "--format", "json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.at("/summary/leaked_bytes").asLong()).isEqualTo(truth.leakedBytes());
        assertThat(json.at("/cycles/steady_bytes_per_cycle").asLong()).isEqualTo(truth.bytesPerCycle());
        assertThat(json.at("/cycles/steady_blocks_per_cycle").asLong()).isEqualTo(truth.blocksPerCycle());
        JsonNode sites = json.at("/sites/list");
        assertThat(sites).hasSize(8);
        assertThat(sites.get(0).get("function").asText()).isEqualTo("callback_init");
        assertThat(sites.get(0).get("component").asText()).isEqualTo("webrtc");
        assertThat(sites.get(0).get("file").asText()).isEqualTo("/project/components/webrtc/peer_connection.c");
        assertThat(sites.get(0).get("bytes").asLong()).isEqualTo(84L * 64 * 12);
        assertThat(sites.get(0).at("/rule/name").asText()).isEqualTo("freertos-mutex");
        assertThat(json.at("/sites/list").findValuesAsText("function")).contains("transport_start", "peer_connection_open", "app_init");
        JsonNode threads = null;
        for (JsonNode s : sites) {
            if (s.get("function").asText().equals("transport_start")) {
                threads = s;
            }
        }
        assertThat(threads.at("/rule/name").asText()).isEqualTo("thread-control-block");
        for (JsonNode s : sites) {
            if (s.get("function").asText().equals("app_init")) {
                assertThat(s.get("component").asText()).isEqualTo("main");
            }
        }
        assertThat(json.at("/target/chip").asText()).isEqualTo("esp32p4");
    }
}
