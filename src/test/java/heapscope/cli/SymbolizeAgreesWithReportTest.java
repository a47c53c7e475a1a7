package heapscope.cli;

import heapscope.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An address copied from a report's call stack resolves in symbolize to the frame the report shows for it: both
 * look return addresses up at their call instruction, through the same frame table.
 */
class SymbolizeAgreesWithReportTest {
    private static final String ELF = Fixtures.example("connection/app.elf").toString();
    private static final String CORE0 = Fixtures.example("connection/cpu0.svdat").toString();

    @Test
    void everyCallerOfTheExampleReportResolvesToTheSameFrames() throws Exception {
        CliRun report = CliRun.of("analyze", CORE0, "--elf", ELF, "--format", "json");
        assertThat(report.status()).isZero();
        List<JsonNode> callers = new ArrayList<>();
        for (JsonNode group : new ObjectMapper().readTree(report.out()).get("groups")) {
            group.get("frames").forEach(callers::add);
        }
        assertThat(callers).hasSizeGreaterThan(20);
        List<String> args = new ArrayList<>(List.of("symbolize", "--json", "--elf", ELF));
        callers.forEach(c -> args.add(c.get("address").asText()));
        CliRun symbolize = CliRun.of(args.toArray(String[]::new));
        assertThat(symbolize.status()).isZero();
        assertThat(symbolize.err()).contains("looked up at address - 1");
        JsonNode resolved = new ObjectMapper().readTree(symbolize.out());
        int named = 0;
        for (int i = 0; i < callers.size(); i++) {
            JsonNode fromReport = callers.get(i);
            JsonNode fromSymbolize = resolved.get(i);
            assertThat(fromSymbolize.get("inElf").asBoolean()).isEqualTo(fromReport.get("in_elf").asBoolean());
            assertThat(frames(fromSymbolize.get("frames"))).as(fromReport.get("address").asText()).isEqualTo(frames(fromReport.get("frames")));
            named += fromReport.get("frames").size();
        }
        assertThat(named).isGreaterThan(20);
    }

    @Test
    void theTextLinesOfAReportStackAreSymbolizesLinesForItsAddresses() {
        CliRun report = CliRun.of("analyze", CORE0, "--elf", ELF, "--color", "never", "--top", "0");
        Set<String> lines = new LinkedHashSet<>();
        report.out().lines().map(String::strip).filter(l -> l.matches("0x[0-9a-f]{8}: \\S+ at \\S+:\\d+")).forEach(lines::add);
        assertThat(lines).hasSizeGreaterThan(5);
        List<String> args = new ArrayList<>(List.of("symbolize", "-a", "--elf", ELF));
        lines.forEach(l -> args.add(l.substring(0, 10)));
        String printed = symbolize(args);
        for (String line : lines) {
            assertThat(printed).contains(line + "\n");
        }
    }

    @Test
    void exactLooksUpTheAddressItself() {
        String address = "0x400001bc"; // a return address in the example's stacks (after a call)
        String asCaller = symbolize(List.of("symbolize", "--elf", ELF, address));
        String asPc = symbolize(List.of("symbolize", "--exact", "--elf", ELF, address));
        String previous = symbolize(List.of("symbolize", "--exact", "--elf", ELF, "0x400001bb"));
        assertThat(asCaller).isEqualTo(previous);
        assertThat(asPc).isNotBlank();
    }

    private static String symbolize(List<String> args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(new byte[0]));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.status()).isZero();
            return run.out();
        } finally {
            System.setIn(saved);
        }
    }

    private static List<String> frames(JsonNode frames) {
        List<String> out = new ArrayList<>();
        frames.forEach(f -> out.add(f.get("function").asText() + " " + f.get("file").asText() + ":" + f.get("line").asInt()
                + (f.get("inlined").asBoolean() ? " inlined" : "")));
        return out;
    }
}
