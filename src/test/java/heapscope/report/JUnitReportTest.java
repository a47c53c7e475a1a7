package heapscope.report;

import heapscope.Fixtures;
import heapscope.cli.CliRunAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** --junit against the JUnit XML schema (src/test/resources/junit/SOURCE.md) and what a CI's test history needs of it. */
class JUnitReportTest {
    private static final Path EXAMPLE = Fixtures.example("connection");

    @TempDir
    Path dir;

    private Path junit(String name) throws Exception {
        Path out = dir.resolve(name);
        int status = CliRunAccess.status("analyze", EXAMPLE.resolve("cpu0.svdat").toString(), EXAMPLE.resolve("cpu1.svdat").toString(),
                "--elf", EXAMPLE.resolve("app.elf").toString(), "--cycle", "New connection", "--source-root", "/project",
                "--max-leaked-bytes", "64k", "--max-leak-per-cycle", "0", "--max-site-bytes", "32k", "-o", dir.resolve(name + ".txt").toString(),
                "--junit", out.toString());
        assertThat(status).as("budgets exceeded").isEqualTo(3);
        return out;
    }

    @Test
    void validAgainstTheJUnitSchema() throws Exception {
        Path report = junit("a.xml");
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(new StreamSource(Fixtures.resource("junit/JUnit.xsd").toFile()))
                .newValidator().validate(new StreamSource(report.toFile())); // throws, naming line and column, when not

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("time")).isEqualTo("0.139"); // the capture's span
        assertThat(suite.getAttribute("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        List<String> properties = new ArrayList<>();
        NodeList ps = doc.getElementsByTagName("property");
        for (int i = 0; i < ps.getLength(); i++) {
            Element p = (Element) ps.item(i);
            properties.add(p.getAttribute("name") + "=" + p.getAttribute("value"));
        }
        assertThat(properties).contains("heapscope.input=" + EXAMPLE.resolve("cpu0.svdat"), "heapscope.input=" + EXAMPLE.resolve("cpu1.svdat"));
        NodeList cases = doc.getElementsByTagName("testcase");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            // readers split the class name at its last dot into package and class
            assertThat(c.getAttribute("classname")).isEqualTo("heapscope.cpu0_svdat+cpu1_svdat");
            names.add(c.getAttribute("name"));
            NodeList failure = c.getElementsByTagName("failure");
            if (failure.getLength() > 0) {
                assertThat(((Element) failure.item(0)).getAttribute("type")).isIn("max-leaked-bytes", "max-leak-per-cycle", "max-site-bytes");
            }
        }
        assertThat(names).contains("max-leaked-bytes <= 65536", "max-leak-per-cycle <= 0",
                "max-site-bytes: callback_init at components/webrtc/peer_connection.c:8 <= 32768");
        assertThat(names).doesNotHaveDuplicates().noneMatch(n -> n.contains("#"));
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(3); // the two totals and callback_init's 64,512 bytes
    }

    @Test
    void theSameCaptureGivesTheSameTestsAgain() throws Exception {
        String first = Files.readString(junit("a.xml")).replaceFirst("timestamp=\"[^\"]*\"", "");
        String second = Files.readString(junit("b.xml")).replaceFirst("timestamp=\"[^\"]*\"", "");
        assertThat(second).isEqualTo(first);
    }
}
