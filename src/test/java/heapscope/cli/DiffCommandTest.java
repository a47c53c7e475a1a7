package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.report.DiffReport;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** diff proves a fix: seed 001's scenario before and after deleting each connection's mutexes. */
class DiffCommandTest {
    @TempDir
    Path dir;

    private static String capture(Path d) {
        return d.resolve("cpu0.svdat") + "," + d.resolve("cpu1.svdat");
    }

    @Test
    void theFixedMutexSiteIsFixedAndTheRestUnchanged() throws Exception {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        ConnectionScenario.Truth b = ConnectionScenario.write(before, 8, 5, false);
        ConnectionScenario.Truth a = ConnectionScenario.write(after, 8, 5, true);
        CliRun run = CliRun.of("diff", capture(before), capture(after), "--format", "json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("schema").asText()).isEqualTo(DiffReport.SCHEMA);
        assertThat(json.get("before_bytes").asLong()).isEqualTo(b.leakedBytes());
        assertThat(json.get("after_bytes").asLong()).isEqualTo(a.leakedBytes());
        JsonNode sites = json.get("sites");
        assertThat(sites).hasSize(7);
        assertThat(sites.get(0).get("status").asText()).isEqualTo("fixed");
        assertThat(sites.get(0).get("before_bytes").asLong()).isEqualTo(84L * 64 * 8);
        assertThat(sites.get(0).get("after_bytes").asLong()).isZero();
        for (int i = 1; i < 7; i++) {
            assertThat(sites.get(i).get("status").asText()).isEqualTo("same");
        }
        CliRun text = CliRun.of("diff", capture(before), capture(after));
        assertThat(text.out()).contains("fixed").contains("-43,008");
    }

    @Test
    void aCutOffAfterCaptureIsNotPassedOffAsAFix() throws Exception {
        Path before = dir.resolve("before");
        ConnectionScenario.write(before, 8, 5, false);
        Path after = Files.createDirectories(dir.resolve("after"));
        for (String core : new String[] {"cpu0.svdat", "cpu1.svdat"}) { // the same capture, cut inside a packet
            byte[] full = Files.readAllBytes(before.resolve(core));
            Files.write(after.resolve(core), Arrays.copyOf(full, 4000));
        }
        CliRun run = CliRun.of("diff", capture(before), capture(after));
        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("heapscope: warning: " + after.resolve("cpu0.svdat") + ": byte ")
                .contains("decoding of this stream stopped")
                .contains("heapscope: warning: AFTER is incomplete").doesNotContain("BEFORE is incomplete");
    }

    @Test
    void growthFailsTheGateWhenAsked() throws Exception {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        ConnectionScenario.write(before, 8, 5, true);
        ConnectionScenario.write(after, 8, 5, false);
        CliRun run = CliRun.of("diff", capture(before), capture(after), "--fail-on-growth", "--format", "json");
        assertThat(run.status()).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(run.out()).at("/sites/0/status").asText()).isEqualTo("new");
        assertThat(CliRun.of("diff", capture(before), capture(after), "--format", "json").status()).isZero();
    }

    @Test
    void withTheElfSitesAreNamedByFunctionForBothCaptures() throws Exception {
        // The example's own firmware: the two-core capture against its first core alone, one ELF for both.
        Path example = Fixtures.example("connection");
        String both = capture(example);
        String cpu0 = example.resolve("cpu0.svdat").toString();
        String elf = example.resolve("app.elf").toString();
        CliRun shared = CliRun.of("diff", both, cpu0, "--elf", elf);
        assertThat(shared.status()).as(shared.err()).isZero();
        assertThat(shared.out()).containsPattern("same +64,512 +64,512 +0  callback_init \\(peer_connection\\.c\\)");
        CliRun separate = CliRun.of("diff", both, cpu0, "--elf-before", elf, "--elf-after", elf);
        assertThat(separate.out()).isEqualTo(shared.out());
        assertThat(CliRun.of("diff", both, cpu0, "--elf-before", elf).status()).isEqualTo(2);
    }
}
