package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import heapscope.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --format sarif} on the shipped examples and the corpus, each document validated against OASIS's SARIF 2.1.0
 * schema (src/test/resources/sarif): one result per leaking site at the site the JSON report names, levels by
 * budget and suppression, the capture's conditions in the invocation's notifications.
 */
class SarifOutputTest {
    private static final String CPU0 = Fixtures.example("connection/cpu0.svdat").toString();
    private static final String CPU1 = Fixtures.example("connection/cpu1.svdat").toString();
    private static final String ELF = Fixtures.example("connection/app.elf").toString();
    private static final String IDF0 = Fixtures.example("esp-idf-sysview/heap_log0.svdat").toString();
    private static final String IDF1 = Fixtures.example("esp-idf-sysview/heap_log1.svdat").toString();
    private static final String DUMP_LOG = Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt").toString();
    private static final String OTHER_ELF = Fixtures.resource("elf/xtensa-O2-dwarf4.elf").toString();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = schema();

    @TempDir
    Path dir;

    private static JsonSchema schema() {
        try (InputStream in = Files.newInputStream(Fixtures.resource("sarif/sarif-schema-2.1.0.json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SARIF document a command line writes, after checking it against the schema. */
    private static JsonNode sarif(String... args) throws IOException {
        List<String> line = new ArrayList<>(List.of("analyze"));
        line.addAll(List.of(args));
        line.addAll(List.of("--format", "sarif"));
        CliRun run = CliRun.of(line.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, AnalyzeCommand.BUDGET_EXCEEDED);
        JsonNode doc = JSON.readTree(run.out());
        Set<ValidationMessage> errors = SCHEMA.validate(doc);
        assertThat(errors).as("schema errors of %s", line).isEmpty();
        return doc;
    }

    @Test
    void theSchemaRejectsWhatIsNotSarif() throws IOException {
        // the validator is live: a result without its message, a level SARIF does not know
        JsonNode bad = JSON.readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
                + "\"results\":[{\"ruleId\":\"r\",\"level\":\"fatal\"}]}]}");
        assertThat(SCHEMA.validate(bad)).hasSizeGreaterThanOrEqualTo(2);
        JsonNode badUri = JSON.readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
                + "\"originalUriBaseIds\":{\"SRCROOT\":{\"uri\":\"file:///a b/\"}}}]}");
        assertThat(SCHEMA.validate(badUri)).as("a space in a URI").isNotEmpty();
    }

    @Test
    void oneResultPerSiteAtTheSiteTheJsonReportNames() throws IOException {
        JsonNode doc = sarif(CPU0, CPU1, "--elf", ELF, "--cycle", "New connection");
        CliRun json = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--cycle", "New connection", "--format", "json");
        JsonNode sites = JSON.readTree(json.out()).at("/sites/list");
        JsonNode results = doc.at("/runs/0/results");
        assertThat(sites.size()).isEqualTo(8);
        assertThat(results.size()).isEqualTo(sites.size());
        for (int i = 0; i < sites.size(); i++) {
            JsonNode r = results.get(i);
            JsonNode loc = r.at("/locations/0/physicalLocation");
            assertThat(loc.at("/artifactLocation/uri").asText()).isEqualTo("file://" + sites.get(i).get("file").asText());
            assertThat(loc.at("/region/startLine").asInt()).isEqualTo(sites.get(i).get("line").asInt());
            assertThat(r.at("/locations/0/logicalLocations/0/name").asText()).isEqualTo(sites.get(i).get("function").asText());
            assertThat(r.at("/properties/bytes").asLong()).isEqualTo(sites.get(i).get("bytes").asLong());
            assertThat(r.get("level").asText()).isEqualTo("warning"); // no budget set
        }
        JsonNode first = results.get(0);
        assertThat(first.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("file:///project/components/webrtc/peer_connection.c");
        assertThat(first.at("/message/text").asText()).startsWith("64,512 bytes in 768 blocks of 84 B allocated in callback_init")
                .contains("Known leak: FreeRTOS mutex never deleted");
        // its call stack, innermost first: the allocator's frames, then the site
        JsonNode frames = first.at("/stacks/0/frames");
        assertThat(frames.get(0).at("/location/logicalLocations/0/name").asText()).isEqualTo("pvPortMalloc");
        assertThat(frames.findValuesAsText("name")).contains("callback_init");
        assertThat(doc.at("/runs/0/invocations/0/toolExecutionNotifications")).isEmpty();
        assertThat(doc.at("/runs/0/properties/complete").asBoolean()).isTrue();
        assertThat(doc.at("/runs/0/properties/leakedBytes").asLong()).isEqualTo(108144);
    }

    @Test
    void aFailedBudgetMakesItsSitesErrorsAndSuppressedOnesNotes() throws IOException {
        Path suppress = dir.resolve("accepted.supp");
        Files.writeString(suppress, "leak:app_init\n");
        JsonNode doc = sarif(CPU0, CPU1, "--elf", ELF, "--cycle", "New connection", "--max-leak-per-cycle", "0",
                "--suppress", suppress.toString(), "--source-root", "/project/");
        JsonNode results = doc.at("/runs/0/results");
        List<String> errors = new ArrayList<>();
        for (JsonNode r : results) {
            String file = r.at("/locations/0/physicalLocation/artifactLocation/uri").asText();
            String function = r.at("/locations/0/logicalLocations/0/name").asText();
            assertThat(r.at("/locations/0/physicalLocation/artifactLocation/uriBaseId").asText()).isEqualTo("SRCROOT");
            assertThat(file).doesNotStartWith("/").doesNotStartWith("file:");
            if (function.equals("app_init")) { // once at start-up, and accepted: a note, suppressed
                assertThat(r.get("level").asText()).isEqualTo("note");
                assertThat(r.at("/suppressions/0/kind").asText()).isEqualTo("external");
                assertThat(r.at("/suppressions/0/justification").asText()).isEqualTo("leak:app_init (--suppress)");
                assertThat(file).isEqualTo("main/app_main.c");
            } else { // every cycle: the steady leak that broke the budget
                assertThat(r.get("level").asText()).isEqualTo("error");
                assertThat(r.at("/properties/budgets/0").asText()).isEqualTo("max-leak-per-cycle");
                assertThat(r.at("/properties/bytesPerCycle").asLong()).isPositive();
                errors.add(function);
            }
        }
        assertThat(errors).hasSize(6).contains("callback_init", "peer_connection_open", "transport_start");
        assertThat(doc.at("/runs/0/originalUriBaseIds/SRCROOT/uri").asText()).isEqualTo("file:///project/");
        JsonNode note = doc.at("/runs/0/invocations/0/toolExecutionNotifications/0");
        assertThat(note.get("level").asText()).isEqualTo("error");
        assertThat(note.at("/descriptor/id").asText()).isEqualTo("budget/max-leak-per-cycle");
        assertThat(note.at("/message/text").asText()).isEqualTo("Budget max-leak-per-cycle exceeded: 8628 bytes per cycle over 10 cycles (budget 0)");
        assertThat(doc.at("/runs/0/properties/budgets/0/passed").asBoolean()).isFalse();
    }

    @Test
    void aMissingCoreIsTheRunsFirstNotification() throws IOException {
        JsonNode doc = sarif(CPU0, "--elf", ELF);
        JsonNode note = doc.at("/runs/0/invocations/0/toolExecutionNotifications/0");
        assertThat(note.get("level").asText()).isEqualTo("warning");
        assertThat(note.at("/descriptor/id").asText()).isEqualTo("missing_core");
        assertThat(note.at("/message/text").asText()).startsWith("Incomplete: " + CPU0 + ": core 1's stream is missing");
        assertThat(doc.at("/runs/0/properties/complete").asBoolean()).isFalse();
        assertThat(doc.at("/runs/0/properties/conditions/0/kind").asText()).isEqualTo("missing_core");
        assertThat(doc.at("/runs/0/results").size()).isPositive();
    }

    @Test
    void withoutAUsableElfEachCallStackIsAResultAtItsInnermostAddress() throws IOException {
        JsonNode idf = sarif(IDF0, IDF1);
        CliRun json = CliRun.of("analyze", IDF0, IDF1, "--format", "json");
        JsonNode groups = JSON.readTree(json.out()).get("groups");
        JsonNode results = idf.at("/runs/0/results");
        assertThat(results.size()).isEqualTo(groups.size()).isPositive();
        for (int i = 0; i < groups.size(); i++) {
            JsonNode loc = results.get(i).at("/locations/0/physicalLocation");
            assertThat(loc.has("artifactLocation")).isFalse();
            assertThat(Long.toHexString(loc.at("/address/absoluteAddress").asLong()))
                    .isEqualTo(groups.get(i).at("/callers/0").asText().replaceFirst("^0x0*", ""));
        }
        // another firmware's ELF: its names would be wrong, so none are used, and the run says why
        JsonNode wrong = sarif(CPU0, CPU1, "--elf", OTHER_ELF);
        assertThat(wrong.at("/runs/0/invocations/0/toolExecutionNotifications/0/message/text").asText()).startsWith("ELF mismatch: ");
        assertThat(wrong.at("/runs/0/results/0/locations/0/physicalLocation").has("artifactLocation")).isFalse();
        // a serial log's heap trace dump
        assertThat(sarif(DUMP_LOG).at("/runs/0/results").size()).isPositive();
    }
}
