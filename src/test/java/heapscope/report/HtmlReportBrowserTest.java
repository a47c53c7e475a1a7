package heapscope.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.sim.FragmentationScenario;
import heapscope.sim.PeakScenario;
import heapscope.Fixtures;
import heapscope.cli.CliRunAccess;
import heapscope.sim.ConnectionScenario;
import heapscope.sim.SyntheticHeapSeries;
import heapscope.trace.HeapSample;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The example reports in a real browser: the figures, rows, stacks, flame graph and charts a person sees. */
class HtmlReportBrowserTest {
    private static final String[] CONNECTION = {Fixtures.example("connection/cpu0.svdat").toString(),
            Fixtures.example("connection/cpu1.svdat").toString(), "--elf", Fixtures.example("connection/app.elf").toString(),
            "--cycle", "New connection"};

    @TempDir
    Path dir;

    private static String[] args(String[] capture, String... more) {
        List<String> a = new ArrayList<>(List.of("analyze"));
        a.addAll(List.of(capture));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static void clean(JsonNode r) {
        assertThat(r.get("consoleErrors")).as("console errors").isEmpty();
        assertThat(r.get("requests")).as("network requests").isEmpty();
        assertThat(r.get("dialogs")).as("dialogs").isEmpty();
    }

    @Test
    void theConnectionExampleShowsItsFiguresStacksFlameGraphAndCharts() throws Exception {
        Path html = dir.resolve("report.html");
        CliRunAccess.run(args(CONNECTION, "--format", "html", "-o", html.toString()));
        JsonNode json = new ObjectMapper().readTree(CliRunAccess.run(args(CONNECTION, "--format", "json")));
        long sites = json.at("/sites/list").size();
        long cycles = json.at("/cycles/count").asLong();
        assertThat(sites).isEqualTo(8);

        Path shots = Files.createDirectories(Fixtures.target("screenshots"));
        JsonNode r = BrowserCheck.steps().step("summary").step("rows").expand(0)
                .step("flameSearch", "text", "callback_init").step("charts")
                .step("screenshot", "path", shots.resolve("report-summary.png").toAbsolutePath().toString(), "selector", "#summary")
                .step("screenshot", "path", shots.resolve("report-flame.png").toAbsolutePath().toString(), "selector", "#flame")
                .step("screenshot", "path", shots.resolve("report-charts.png").toAbsolutePath().toString(), "selector", "#timeline")
                .step("screenshot", "path", shots.resolve("report-sites.png").toAbsolutePath().toString(), "selector", "#sites")
                .step("filter", "text", "transport_start").step("sort", "key", "bytes")
                .step("flameZoom", "name", "peer_connection_open").step("flameZoom", "name", "callback_init")
                .step("flameKeys", "name", "transport_start").step("text", "selector", "#cycle-chart .cycle-label")
                .run(html, dir);
        clean(r);
        assertThat(r.get("pwned").asBoolean()).isFalse();
        JsonNode summary = r.at("/steps/0");
        assertThat(summary.get("leakedBytes").asText()).isEqualTo(String.format("%,d", json.at("/summary/leaked_bytes").asLong())).isEqualTo("108,144");
        assertThat(summary.get("leakedBlocks").asText()).isEqualTo("830");
        assertThat(summary.get("steady").asText()).isEqualTo("8,628");
        assertThat(summary.get("verdict").asText()).startsWith("Found 108,144 leaked bytes in 830 blocks");
        assertThat(summary.get("regions").get(0).asText()).contains("DRAM").contains("108,144").contains("830");
        assertThat(summary.get("tasks").get(0).asText()).contains("webrtc");

        JsonNode rows = r.at("/steps/1");
        assertThat(rows.get("rows").asInt()).isEqualTo(sites);
        assertThat(rows.get("count").asText()).isEqualTo("8 rows");
        assertThat(rows.get("pager").asBoolean()).as("pager for one page").isFalse();
        assertThat(rows.get("first").asText()).contains("callback_init").contains("64,512");

        JsonNode expand = r.at("/steps/2");
        assertThat(expand.get("before").asInt()).isZero();
        assertThat(expand.get("after").asInt()).isEqualTo(1);
        assertThat(expand.get("visible").asBoolean()).isTrue();
        assertThat(expand.get("lines").toString()).as("paths without the directory they share").contains("pvPortMalloc at components/freertos/queue.c:6")
                .contains("callback_init at components/webrtc/peer_connection.c:8");

        JsonNode flame = r.at("/steps/3");
        assertThat(flame.get("matches").asInt()).isEqualTo(1);
        assertThat(flame.get("names").get(0).asText()).isEqualTo("callback_init");
        assertThat(flame.get("info").asText()).contains("matched 1 frame, 64,512 bytes (59.7 %)");
        assertThat(flame.get("frames").asInt()).isGreaterThan(10);

        JsonNode charts = r.at("/steps/4");
        assertThat(charts.get("live").asInt()).isEqualTo(1);
        assertThat(charts.get("lastLine").asInt()).isEqualTo(1);
        assertThat(charts.get("markers").asLong()).isEqualTo(cycles);
        assertThat(charts.get("bars").asLong()).isEqualTo(cycles).isEqualTo(12);
        assertThat(charts.get("steady").asText()).contains("8,628");

        JsonNode filtered = r.at("/steps/9");
        assertThat(filtered.get("rows").asInt()).isEqualTo(2);
        assertThat(filtered.get("count").asText()).isEqualTo("2 of 8 rows");
        assertThat(filtered.get("labels").toString()).contains("transport_start at components/webrtc/peer_connection.c:19");
        JsonNode sorted = r.at("/steps/10");
        assertThat(sorted.get("first").asText()).contains("4,080");
        // zooming into a frame widens it to the whole graph; a child then fills it in turn
        JsonNode zoomed = r.at("/steps/11");
        assertThat(zoomed.get("width").asDouble()).isCloseTo(zoomed.get("svgWidth").asDouble(), Offset.offset(1.0));
        JsonNode deeper = r.at("/steps/12");
        assertThat(deeper.get("width").asDouble()).isCloseTo(deeper.get("svgWidth").asDouble(), Offset.offset(1.0));
        // by keyboard alone: Escape zooms out of callback_init, Tab reaches transport_start, Enter zooms into it and
        // keeps the focus on it, Escape zooms out again
        JsonNode keys = r.at("/steps/13");
        assertThat(keys.get("reached").asText()).isEqualTo("transport_start");
        assertThat(keys.get("zoomed").asDouble()).isCloseTo(keys.get("svgWidth").asDouble(), Offset.offset(1.0));
        assertThat(keys.get("focused").asText()).isEqualTo("transport_start");
        assertThat(keys.get("after").asDouble()).isLessThan(keys.get("svgWidth").asDouble() / 2);
        // the cycle bars are labelled with the cycles' own numbers, as the text report counts them
        assertThat(r.at("/steps/14/texts").toString()).isEqualTo("[\"cycle 1\",\"cycle 3\",\"cycle 5\",\"cycle 7\",\"cycle 9\",\"cycle 11\"]");
    }

    @Test
    void whatHeldTheMemoryIsDrawnBesideTheTimelineWithThePeakMarked() throws Exception {
        Path trace = PeakScenario.write(dir.resolve("peak"));
        Path html = dir.resolve("peak.html");
        CliRunAccess.run("analyze", trace.toString(), "--format", "html", "-o", html.toString());
        JsonNode r = BrowserCheck.steps().step("text", "selector", "#peak-sites tbody tr").step("text", "selector", "#peak-mark title")
                .step("text", "selector", "#failure-sites-1 tbody tr").step("text", "selector", "#block-cost tbody tr")
                .run(html, dir);
        clean(r);
        JsonNode peak = r.at("/steps/0/texts");
        assertThat(peak).hasSize(3);
        assertThat(peak.get(0).asText()).startsWith("10,240").contains("47.7 %").contains("DRAM").contains("main");
        assertThat(peak.get(1).asText()).contains("4,096").contains("6,144").contains("#1"); // C: 2 blocks never freed, 3 freed later
        assertThat(r.at("/steps/1/texts/0").asText()).isEqualTo("peak: 21,480 bytes in 35 blocks at 0.003 s");
        assertThat(r.at("/steps/2/texts")).hasSize(2);
        assertThat(r.at("/steps/3/texts/0").asText()).contains("DRAM").contains("21,480").contains("140");
    }

    @Test
    void anAllocationStarvedByFragmentationHeadsThePageAndTheLargestBlockIsDrawn() throws Exception {
        Path log = dir.resolve("frag.log");
        Files.writeString(log, FragmentationScenario.LOG);
        Path html = dir.resolve("frag.html");
        CliRunAccess.run("analyze", log.toString(), "--format", "html", "-o", html.toString());
        JsonNode r = BrowserCheck.steps().step("text", "selector", "#fragmentation").step("attrs", "selector", "#free-chart polyline.largest", "names", "points")
                .step("text", "selector", "#timeline .legend").step("text", "selector", "#free-chart circle.failed-req title").run(html, dir);
        assertThat(r.get("consoleErrors")).isEmpty();
        assertThat(r.at("/steps/0/texts/0").asText()).startsWith("Fragmentation: 1 of 4 failed allocations").contains("8,192 bytes")
                .contains("60,000 bytes free").contains("largest free block was 4,096 bytes");
        JsonNode lines = r.at("/steps/1/elements");
        assertThat(lines).hasSize(2); // the region's series and the totals'
        assertThat(lines.get(0).get("points").asText().split(" ")).hasSize(3);
        assertThat(r.at("/steps/2/texts/0").asText()).contains("Dotted blue: the largest free block").contains("Red dots: failed allocations");
        assertThat(r.at("/steps/3/texts").toString()).isEqualTo("[\"failed: 300,000 bytes at 0.000 s (exhaustion)\",\"failed: 8,192 bytes at 1.900 s (room)\","
                + "\"failed: 8,192 bytes at 3.900 s (fragmentation)\",\"failed: 8,192 bytes at 5.900 s (exhaustion)\"]");
    }

    @Test
    void theCallSitesThatHeldTheMemoryAreNamedOutsideTheAllocator() throws Exception {
        Path html = dir.resolve("held.html");
        CliRunAccess.run(args(CONNECTION, "--format", "html", "-o", html.toString()));
        JsonNode r = BrowserCheck.steps().step("text", "selector", "#peak-sites tbody tr").run(html, dir);
        clean(r);
        JsonNode rows = r.at("/steps/0/texts");
        assertThat(rows.get(0).asText()).contains("59,136").contains("#1").contains("callback_init at components/webrtc/peer_connection.c:8").doesNotContain("pvPortMalloc");
        assertThat(rows.get(1).asText()).contains("handle_request at main/app_main.c:22").doesNotContain("malloc at");
    }

    @Test
    void leaksInNoCycleAreNamedUnderTheCycleChart() throws Exception {
        Path html = dir.resolve("cycles.html");
        CliRunAccess.run("analyze", Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString(), Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString(),
                "--cycle", "Wait notify", "--format", "html", "-o", html.toString());
        JsonNode r = BrowserCheck.steps().step("text", "selector", "#cycles .legend").run(html, dir);
        clean(r);
        assertThat(r.at("/steps/0/texts/0").asText()).endsWith("In no cycle: 17,442 bytes in 21 blocks before the first marker.");
    }

    @Test
    void freeHeapReadingsWithoutTimesAreATableNotAnEmptyChart() throws Exception {
        Path log = Fixtures.corpus("serial-logs/issue-RomanLut-hx-esp32-cam-fpv-46-heap_caps_print_heap_info.txt");
        Path html = dir.resolve("info.html");
        CliRunAccess.run("analyze", log.toString(), "--format", "html", "-o", html.toString());
        JsonNode r = BrowserCheck.steps().step("text", "selector", "#free-chart").step("text", "selector", "#free-untimed")
                .step("text", "selector", "#readings tbody tr").run(html, dir);
        clean(r);
        assertThat(r.at("/steps/0/texts")).isEmpty();
        assertThat(r.at("/steps/1/texts/0").asText()).contains("carry no times");
        assertThat(r.at("/steps/2/texts")).hasSize(8);
        assertThat(r.at("/steps/2/texts/1").asText()).contains("caps 0x00000004 @ 0x3c110000").contains("8.00 MiB")
                .contains("too few readings for a trend");
    }

    @Test
    void withoutJavaScriptTheSummaryAndStacksAreStillThere() throws Exception {
        Path html = dir.resolve("report.html");
        CliRunAccess.run(args(CONNECTION, "--format", "html", "-o", html.toString()));
        JsonNode r = BrowserCheck.steps().withoutJavaScript().step("summary").step("staticRows").run(html, dir);
        clean(r);
        assertThat(r.at("/steps/0/leakedBytes").asText()).isEqualTo("108,144");
        assertThat(r.at("/steps/1/rows").asInt()).isEqualTo(8);
        assertThat(r.at("/steps/1/details").asInt()).isEqualTo(8);
        assertThat(r.at("/steps/1/firstSummary").asText()).isEqualTo("callback_init at /project/components/webrtc/peer_connection.c:8");
        assertThat(r.at("/steps/1/rules").asInt()).isEqualTo(3);
    }

    @Test
    void espressifsRecordingShowsItsOwnFigureGroupedByStack() throws Exception {
        Path html = dir.resolve("idf.html");
        CliRunAccess.run("analyze", Fixtures.example("esp-idf-sysview/heap_log0.svdat").toString(),
                Fixtures.example("esp-idf-sysview/heap_log1.svdat").toString(),
                "--format", "html", "-o", html.toString());
        JsonNode json = new ObjectMapper().readTree(CliRunAccess.run("analyze",
                Fixtures.example("esp-idf-sysview/heap_log0.svdat").toString(), Fixtures.example("esp-idf-sysview/heap_log1.svdat").toString(),
                "--format", "json"));
        JsonNode r = BrowserCheck.steps().step("summary").step("rows").expand(0).step("charts").step("expandByKey", "row", "1").run(html, dir);
        clean(r);
        assertThat(r.at("/steps/0/leakedBytes").asText()).isEqualTo("17,706");
        assertThat(r.at("/steps/0/leakedBlocks").asText()).isEqualTo("45");
        assertThat(r.at("/steps/1/rows").asInt()).isEqualTo(json.get("groups").size());
        // every stack starts in the same allocator wrapper: rows name their first callers, so they differ
        assertThat(r.at("/steps/1/first").asText()).contains("0x40081eff ← 0x4008");
        assertThat(r.at("/steps/2/lines").get(0).asText()).startsWith("0x4");
        assertThat(r.at("/steps/3/live").asInt()).isEqualTo(1);
        assertThat(r.at("/steps/4/before").asInt()).isEqualTo(1);
        assertThat(r.at("/steps/4/after").asInt()).isEqualTo(2);
        assertThat(r.at("/steps/4/expanded").asText()).isEqualTo("true");
    }

    @Test
    void aHeapMonitorLogShowsItsFreeHeapAndLowWaterMark() throws Exception {
        List<HeapSample> series = SyntheticHeapSeries.write(new SyntheticHeapSeries.Spec(
                SyntheticHeapSeries.Noise.WANDER, 3600, 3, 2048, 300, 31));
        Path log = dir.resolve("monitor.log");
        try (Writer w = Files.newBufferedWriter(log)) {
            SyntheticHeapSeries.writeMonitorLog(series, w);
        }
        Path html = dir.resolve("monitor.html");
        CliRunAccess.run("analyze", log.toString(), "--format", "html", "-o", html.toString());
        JsonNode json = new ObjectMapper().readTree(CliRunAccess.run("analyze", log.toString(), "--format", "json"));
        JsonNode trends = json.at("/incidents/trends");
        assertThat(trends.size()).isPositive();
        JsonNode r = BrowserCheck.steps().step("charts").step("text", "selector", "#free-chart text").step("summary")
                .step("screenshot", "path", Files.createDirectories(Fixtures.target("screenshots")).resolve("report-free-heap.png").toAbsolutePath().toString(),
                        "selector", "#timeline").run(html, dir);
        clean(r);
        assertThat(r.at("/steps/0/free").asInt()).isEqualTo(trends.size());
        assertThat(r.at("/steps/0/lowWater").asInt()).isEqualTo(trends.size());
        String lowest = trends.get(0).get("label").asText() + " low-water ";
        assertThat(r.at("/steps/1/texts").toString()).contains(lowest);
        assertThat(trends.get(0).get("verdict").asText()).isEqualTo("leak");
        assertThat(r.at("/steps/2/verdict").asText()).contains("falls steadily");
    }

    @Test
    void aDiffShowsTheFixedSiteInItsOwnColumn() throws Exception {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        ConnectionScenario.write(before, 8, 5, false);
        ConnectionScenario.write(after, 8, 5, true);
        Path html = dir.resolve("diff.html");
        CliRunAccess.run("diff", before.resolve("cpu0.svdat") + "," + before.resolve("cpu1.svdat"),
                after.resolve("cpu0.svdat") + "," + after.resolve("cpu1.svdat"), "--format", "html", "-o", html.toString());
        JsonNode r = BrowserCheck.steps().step("diff")
                .step("screenshot", "path", Files.createDirectories(Fixtures.target("screenshots")).resolve("report-diff.png").toAbsolutePath().toString(),
                        "selector", "main").step("diffFilter", "text", "NO-SUCH-SITE").run(html, dir);
        clean(r);
        JsonNode diff = r.at("/steps/0");
        assertThat(diff.get("columns")).hasSize(4);
        assertThat(diff.get("fixed")).hasSize(1);
        assertThat(diff.get("fixed").get(0).asText()).contains("43,008").contains("-43,008").containsPattern("0x[0-9a-f]{8} ← 0x[0-9a-f]{8}");
        assertThat(diff.get("added")).isEmpty();
        assertThat(diff.get("grown")).isEmpty();
        // the filter hides what does not match, in every column, and says how many of how many are shown
        String fixedSite = diff.get("fixed").get(0).asText().split("\t")[0]; // the site's cell: its whole call stack
        JsonNode none = r.at("/steps/2");
        assertThat(none.get("fixed").asInt()).isZero();
        assertThat(none.get("counts").get(0).asText()).isEqualTo("0 of 1");
        JsonNode one = BrowserCheck.steps().step("diffFilter", "text", fixedSite.toUpperCase()).run(html, dir).at("/steps/0");
        assertThat(one.get("fixed").asInt()).isEqualTo(1);
        assertThat(one.get("same").asInt()).isZero();
        assertThat(one.get("counts").get(0).asText()).isEqualTo("1 of 1");
    }
}
