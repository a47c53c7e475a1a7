package heapscope.cli;

import heapscope.TestData;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Leak budgets gate CI: a distinct exit status when exceeded, and JUnit XML a CI system reads. */
class BudgetTest {
    private static final String CORE0 = TestData.corpus("heap_log0.svdat").toString();
    private static final String CORE1 = TestData.corpus("heap_log1.svdat").toString();

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
    void perCycleBudgetUsesTheSteadyLeak() throws Exception {
        ConnectionScenario.write(dir, 6, 1);
        String c0 = dir.resolve("cpu0.svdat").toString();
        String c1 = dir.resolve("cpu1.svdat").toString();
        assertThat(CliRun.of("analyze", c0, c1, "--cycle", "New connection", "--max-leak-per-cycle", "8628", "--format", "json").status()).isZero();
        CliRun over = CliRun.of("analyze", c0, c1, "--cycle", "New connection", "--max-leak-per-cycle", "8000", "--format", "json");
        assertThat(over.status()).isEqualTo(3);
        assertThat(over.err()).contains("8628 bytes per cycle");
        CliRun noCycle = CliRun.of("analyze", c0, c1, "--max-leak-per-cycle", "8000", "--format", "json");
        assertThat(noCycle.status()).isEqualTo(3);
        assertThat(noCycle.err()).contains("no cycles: give --cycle");
    }
}
