package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serial log that idf.py monitor decoded (its {@code --- 0xADDR: func at file:line} lines) of the example
 * firmware: without an ELF its names name the frames in every format; with the right ELF the ELF names them and
 * agrees; with names the ELF contradicts, that is said as an ELF mismatch.
 */
class LogNamedFramesTest {
    private static final Path ELF = Fixtures.example("connection").resolve("app.elf");
    /** The mutex leak's stack, innermost first: the return addresses and what the example's ELF names them. */
    private static final List<String> FUNCTIONS = List.of("pvPortMalloc", "xQueueGenericCreate", "xQueueCreateMutex", "pthread_mutex_init",
            "callback_init", "peer_connection_open");
    private static final List<String> KEYS = List.of("pvPortMalloc heap_caps_malloc", "xQueueGenericCreate pvPortMalloc",
            "xQueueCreateMutex xQueueGenericCreate", "pthread_mutex_init xQueueCreateMutex", "callback_init pthread_mutex_init",
            "peer_connection_open callback_init");

    @TempDir
    Path dir;

    /** The dump with one decoded line per caller; SHIFT names each address with the function of the next one. */
    private Path log(int shift) throws Exception {
        Map<String, Long> sites = Fixtures.exampleCallSites();
        List<String> callers = new ArrayList<>();
        List<String> decoded = new ArrayList<>();
        for (int i = 0; i < KEYS.size(); i++) {
            String address = String.format("0x%08x", sites.get(KEYS.get(i)));
            callers.add(address);
            decoded.add("--- " + address + ": " + FUNCTIONS.get((i + shift) % FUNCTIONS.size()) + " at /project/x.c:" + (i + 1));
        }
        List<String> lines = new ArrayList<>(List.of("====== Heap Trace: 1 records (100 capacity) ======",
                "    84 bytes (@ 0x4ff40100, Internal) allocated CPU 0 ccount 0x12345678 caller " + String.join(":", callers)));
        lines.addAll(decoded);
        lines.addAll(List.of("====== Heap Trace Summary ======", "Mode: Heap Trace Leaks", "84 bytes 'leaked' in trace (1 allocations)",
                "records: 1 (100 capacity, 1 high water mark)", "total allocations: 1", "total frees: 0", "================================", ""));
        return Files.writeString(dir.resolve("decoded-" + shift + ".log"), String.join("\n", lines));
    }

    @Test
    void withoutAnElfTheLogsNamesNameTheFramesInEveryFormat() throws Exception {
        String log = log(0).toString();
        CliRun text = CliRun.of("analyze", log, "--color", "never");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("Found 84 leaked bytes in 1 block.")
                .contains("0x4000014c: pthread_mutex_init at /project/x.c:4")
                .contains("site: callback_init at /project/x.c:5")
                .contains("known leak: FreeRTOS mutex never deleted");
        assertThat(text.out().lines().filter(l -> l.contains("--elf"))).singleElement().asString().contains("idf.py monitor");

        JsonNode json = new ObjectMapper().readTree(CliRun.of("analyze", log, "--format", "json").out());
        JsonNode frame = json.at("/groups/0/frames/3");
        assertThat(frame.get("named_by").asText()).isEqualTo("log");
        assertThat(frame.get("in_elf").asBoolean()).isFalse();
        assertThat(frame.at("/frames/0/function").asText()).isEqualTo("pthread_mutex_init");
        assertThat(json.get("sites").isNull()).isFalse();

        assertThat(CliRun.of("export", log, "--format", "folded").out()).contains("callback_init;pthread_mutex_init");
    }

    @Test
    void theRightElfAgreesAndWins() throws Exception {
        CliRun run = CliRun.of("analyze", log(0).toString(), "--elf", ELF.toString(), "--format", "json");
        assertThat(run.err()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("elf_mismatch").asBoolean()).isFalse();
        JsonNode frame = json.at("/groups/0/frames/3");
        assertThat(frame.has("named_by")).isFalse();
        assertThat(frame.at("/frames/0/file").asText()).isEqualTo("/project/components/pthread/pthread.c");
    }

    @Test
    void anElfThatNamesTheAddressesOtherwiseIsAMismatch() throws Exception {
        CliRun run = CliRun.of("analyze", log(1).toString(), "--elf", ELF.toString(), "--color", "never");
        assertThat(run.err()).contains("ELF mismatch").contains("idf.py monitor");
        assertThat(run.out()).contains("ELF mismatch: " + ELF + ": this ELF names 6 of the 6 code addresses")
                // the ELF's names are not shown as if true: the log's are, as without --elf
                .contains("0x4000014c: callback_init at /project/x.c:4")
                .contains("frames named by the log's idf.py monitor lines")
                .doesNotContain("pthread.c");
    }
}
