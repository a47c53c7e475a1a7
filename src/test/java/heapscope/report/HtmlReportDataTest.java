package heapscope.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.analysis.LeakReport;
import heapscope.cli.CliRunAccess;
import heapscope.symbols.FrameTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's data is the JSON report itself; cut to --html-rows entries a list, it says so and keeps every total. */
class HtmlReportDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"heapscope-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path dir;

    static JsonNode embedded(String page) throws IOException {
        Matcher m = DATA.matcher(page);
        assertThat(m.find()).as("data element").isTrue();
        return JSON.readTree(m.group(1));
    }

    @Test
    void theConnectionExamplesPageEmbedsTheDocumentOfFormatJson() throws Exception {
        String[] capture = {"analyze", Fixtures.example("connection/cpu0.svdat").toString(), Fixtures.example("connection/cpu1.svdat").toString(),
                "--elf", Fixtures.example("connection/app.elf").toString(), "--cycle", "New connection", "--format"};
        Path html = dir.resolve("report.html");
        CliRunAccess.run(concat(capture, "html", "-o", html.toString()));
        JsonNode json = JSON.readTree(CliRunAccess.run(concat(capture, "json")));
        assertThat(embedded(Files.readString(html))).isEqualTo(json);
        assertThat(json.get("capped").isNull()).isTrue();
        assertThat(json.at("/caller_lines/0x400000ba/0").asText()).isEqualTo("0x400000ba: callback_init at /project/components/webrtc/peer_connection.c:8");
    }

    @Test
    void aCappedPageSaysWhatItCutAndKeepsTheTotalsOfTheWholeReport() throws Exception {
        LeakReport report = HtmlReportScaleTest.bigReport();
        StringWriter page = new StringWriter();
        new HtmlReport(report, new HtmlReport.Options("test", FrameTable.of(null, null), null, Map.of(), 100, null)).write(page);
        StringWriter whole = new StringWriter();
        new JsonReport(report, "test", FrameTable.of(null, null), null, Map.of(), Map.of()).write(whole);
        JsonNode all = JSON.readTree(whole.toString());
        JsonNode cut = embedded(page.toString());

        assertThat(page.toString()).contains("<p class=\"warning\" id=\"capped\">Showing the largest 100 of 5,000 call stacks; totals are exact "
                + "(--html-rows 0 puts every one in the page, --format json lists them all).</p>");
        assertThat(page.toString()).contains("<p class=\"more\">4,900 smaller rows are counted in the totals only.</p>");
        assertThat(all.get("capped").isNull()).isTrue();
        assertThat(cut.get("capped")).isEqualTo(JSON.readTree("{\"limit\": 100, \"groups\": 5000, \"leaks\": 100000}"));
        assertThat(cut.get("summary")).isEqualTo(all.get("summary"));
        assertThat(cut.at("/summary/leaked_blocks").asLong()).isEqualTo(HtmlReportScaleTest.LEAKS);
        assertThat(cut.get("capture")).isEqualTo(all.get("capture"));
        assertThat(cut.get("timeline")).isEqualTo(all.get("timeline"));
        // the lists are the whole report's first entries, ranks unchanged
        assertThat(cut.get("groups")).hasSize(100);
        assertThat(cut.get("leaks")).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(cut.get("groups").get(i)).isEqualTo(all.get("groups").get(i));
            assertThat(cut.get("leaks").get(i)).isEqualTo(all.get("leaks").get(i));
        }
        assertThat(cut.get("caller_lines").size()).isLessThan(all.get("caller_lines").size());
        cut.get("groups").forEach(g -> g.get("callers").forEach(a -> assertThat(cut.get("caller_lines").has(a.asText())).isTrue()));
    }

    private static String[] concat(String[] a, String... more) {
        String[] out = new String[a.length + more.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
