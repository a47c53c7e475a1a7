package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.StreamSupport;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Leak budgets gate CI: a distinct exit status when exceeded, and JUnit XML a CI system reads. */
class BudgetTest {
    private static final String CORE0 = Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString();
    private static final String CORE1 = Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString();

    @TempDir
    Path dir;

    @Test
    void exceededBudgetExitsWith3AndMetBudgetWith0() throws Exception {
        CliRun over = CliRun.of("analyze", CORE0, CORE1, "--max-leaked-bytes", "17705", "--format", "json");
        assertThat(over.status()).isEqualTo(3);
        assertThat(over.err()).contains("budget exceeded: max-leaked-bytes: 17706 bytes leaked in 45 blocks (budget 17705)");
        CliRun met = CliRun.of("analyze", CORE0, CORE1, "--max-leaked-bytes", "17706", "--format", "json");
        assertThat(met.status()).isZero();
        assertThat(met.err()).isEmpty();
    }

    @Test
    void junitXmlListsEveryCheckWithItsFailures() throws Exception {
        Path xml = dir.resolve("leaks.xml");
        CliRun run = CliRun.of("analyze", CORE0, CORE1, "--max-site-bytes", "1020", "--junit", xml.toString(), "-o", dir.resolve("r.txt").toString());
        assertThat(run.status()).isEqualTo(3);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(7); // one per leaking call stack
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(2); // the two 7,500-byte stacks
        assertThat(doc.getDocumentElement().getElementsByTagName("testsuite").item(0).getAttributes().getNamedItem("failures").getNodeValue())
                .isEqualTo("2");
    }

    @Test
    void suppressedLeaksCountAgainstNoBudget() throws Exception {
        // the two 7,500-byte stacks (2,500-byte task stacks) go through 0x4008a610; accept them
        Path supp = Files.writeString(dir.resolve("lsan.supp"), "# accepted\nleak:0x4008a610\n");
        CliRun run = CliRun.of("analyze", CORE0, CORE1, "--suppress", supp.toString(), "--max-leaked-bytes", "2706", "--format", "json");
        assertThat(run.status()).as(run.err()).isZero(); // 17706 - 2 x 7500 = 2706
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.at("/summary/suppressed_bytes").asLong()).isEqualTo(15000);
        assertThat(json.at("/groups/0/suppressed_by").asText()).isEqualTo("0x4008a610");
        assertThat(json.at("/groups/2/suppressed_by").isNull()).isTrue();
        assertThat(CliRun.of("analyze", CORE0, CORE1, "--suppress", supp.toString(), "--max-leaked-bytes", "2705", "--format", "json").status())
                .isEqualTo(3);
        Path bad = Files.writeString(dir.resolve("bad.supp"), "called_from_lib:libfoo.so\n");
        CliRun broken = CliRun.of("analyze", CORE0, CORE1, "--suppress", bad.toString());
        assertThat(broken.status()).isEqualTo(2);
        assertThat(broken.err()).startsWith("heapscope: " + bad + ": line 1: expected leak:PATTERN");
    }

    @Test
    void perCycleBudgetUsesTheSteadyLeak() throws Exception {
        ConnectionScenario.write(dir, 6, 1);
        String c0 = dir.resolve("cpu0.svdat").toString();
        String c1 = dir.resolve("cpu1.svdat").toString();
        assertThat(CliRun.of("analyze", c0, c1, "--cycle", "New connection", "--max-leak-per-cycle", "8628", "--format", "json").status()).isZero();
        CliRun over = CliRun.of("analyze", c0, c1, "--cycle", "New connection", "--max-leak-per-cycle", "8000", "--format", "json");
        assertThat(over.status()).isEqualTo(3);
        assertThat(over.err()).contains("8628 bytes per cycle");
        // accept the 84-byte site (5,376 bytes a cycle) by a frame only its stack has: 3,252 bytes a cycle remain
        JsonNode groups = new ObjectMapper()
                .readTree(CliRun.of("analyze", c0, c1, "--format", "json").out()).at("/groups");
        Set<String> others = new HashSet<>();
        for (int g = 1; g < groups.size(); g++) {
            groups.get(g).at("/callers").forEach(f -> others.add(f.asText()));
        }
        String own = StreamSupport.stream(groups.get(0).at("/callers").spliterator(), false).map(f -> f.asText())
                .filter(f -> !others.contains(f)).findFirst().orElseThrow();
        assertThat(groups.get(0).at("/sizes/0/size").asLong()).isEqualTo(84);
        Path supp = Files.writeString(dir.resolve("site.supp"), "leak:" + own + "\n");
        CliRun accepted = CliRun.of("analyze", c0, c1, "--cycle", "New connection", "--suppress", supp.toString(),
                "--max-leak-per-cycle", "3252");
        assertThat(accepted.status()).as(accepted.err()).isZero();
        CliRun still = CliRun.of("analyze", c0, c1, "--cycle", "New connection", "--suppress", supp.toString(),
                "--max-leak-per-cycle", "3251");
        assertThat(still.status()).isEqualTo(3);
        assertThat(still.err()).contains("3252 bytes per cycle over").contains("not counting suppressed leaks");
        CliRun noCycle = CliRun.of("analyze", c0, c1, "--max-leak-per-cycle", "8000", "--format", "json");
        assertThat(noCycle.status()).as("a budget that cannot be checked is a wrong argument").isEqualTo(2);
        assertThat(noCycle.err()).isEqualTo("heapscope: --max-leak-per-cycle needs --cycle REGEX to mark the cycles\n");
    }
}
