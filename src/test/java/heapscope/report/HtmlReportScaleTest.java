package heapscope.report;

import com.fasterxml.jackson.databind.JsonNode;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.symbols.FrameTable;
import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.Free;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 leaked blocks in 5,000 call stacks among a million heap events: the page renders in the browser within
 * a generous bound and its table stays quick (it draws one page of rows at a time). The timeline is already at
 * most 4096 buckets (analysis.Timeline), so its size does not grow with the events.
 */
class HtmlReportScaleTest {
    static final int SITES = 5_000;
    static final int LEAKS = 100_000;
    static final int EVENTS = 1_000_000;

    @TempDir
    Path dir;

    static LeakReport bigReport() {
        Recording rec = new Recording();
        rec.addSource("generated");
        int[] tasks = new int[8];
        for (int t = 0; t < tasks.length; t++) {
            tasks[t] = rec.contexts().intern(Context.Kind.TASK, "worker" + t);
        }
        int[] stacks = new int[SITES];
        for (int s = 0; s < SITES; s++) {
            // callers share outer frames (a tree of 10 x 50 x 10), as real firmware's do
            stacks[s] = rec.stacks().intern(0x400D0000L + s * 4L, 0x400E0000L + (s % 10) * 4L, 0x400F0000L + (s / 100) * 4L,
                    0x40100000L + (s / 500) * 4L, 0x40110000L);
        }
        LeakAnalysis analysis = new LeakAnalysis(null);
        long t = 1_000_000;
        int leaked = 0;
        long transientAddress = 0x3FFE0000L;
        for (int e = 0, i = 0; e < EVENTS; i++) {
            if (leaked < LEAKS && i % 5 == 0) {
                int s = leaked % SITES;
                analysis.accept(new Alloc(t, 0, tasks[s % tasks.length], 0x3F800000L + leaked * 64L, 16 + (s % 7) * 8, stacks[s]));
                leaked++;
                e++;
            } else {
                int s = e % SITES;
                analysis.accept(new Alloc(t, 1, tasks[s % tasks.length], transientAddress, 128, stacks[s]));
                t += 5_000;
                analysis.accept(new Free(t, 1, tasks[s % tasks.length], transientAddress, stacks[s]));
                e += 2;
            }
            t += 5_000;
        }
        return analysis.finish(rec);
    }

    @Test
    void aHundredThousandLeaksInFiveThousandSitesOpenQuickly() throws Exception {
        LeakReport report = bigReport();
        assertThat(report.leakedBlocks()).isEqualTo(LEAKS);
        assertThat(report.groups()).hasSize(SITES);
        assertThat(report.counts().heapEvents()).isGreaterThanOrEqualTo(EVENTS);
        assertThat(report.timeline().size()).isLessThanOrEqualTo(4096).isGreaterThan(1024);
        Path html = dir.resolve("big.html");
        try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
            new HtmlReport(report, new HtmlReport.Options("test", FrameTable.of(null, null), null, Map.of(), HtmlReport.DEFAULT_ROWS, null)).write(w);
        }
        long size = Files.size(html);
        String lastSite = String.format("0x%08x", 0x400D0000L + (SITES - 1) * 4L);
        JsonNode r = BrowserCheck.steps().step("summary").step("rows").step("next").step("sort", "key", "blocks")
                .step("filter", "text", lastSite).expand(0).step("flameSearch", "text", "0x40110000").step("charts").run(html, dir);
        assertThat(r.get("consoleErrors")).isEmpty();
        assertThat(r.get("requests")).isEmpty();
        double render = r.get("renderMs").asDouble();
        System.out.printf("HTML report scale: %,d bytes, first render %.0f ms, load %d ms, next page %d ms, sort %d ms, filter %d ms, expand %d ms%n",
                size, render, r.get("loadMs").asLong(), r.at("/steps/2/ms").asLong(), r.at("/steps/3/ms").asLong(),
                r.at("/steps/4/ms").asLong(), r.at("/steps/5/ms").asLong());
        assertThat(render).as("time to first render, ms").isLessThan(10_000);
        assertThat(r.at("/steps/0/leakedBlocks").asText()).isEqualTo("100,000");
        assertThat(r.at("/steps/1/rows").asInt()).isEqualTo(100);
        assertThat(r.at("/steps/1/count").asText()).isEqualTo("5,000 rows, 100 a page");
        assertThat(r.at("/steps/1/pager").asBoolean()).isTrue();
        assertThat(r.at("/steps/2/page").asText()).isEqualTo("page 2 of 50");
        assertThat(r.at("/steps/2/ms").asLong()).isLessThan(2_000);
        assertThat(r.at("/steps/3/ms").asLong()).isLessThan(2_000);
        assertThat(r.at("/steps/4/rows").asInt()).isEqualTo(1);
        assertThat(r.at("/steps/4/count").asText()).isEqualTo("1 of 5,000 rows");
        assertThat(r.at("/steps/5/lines").get(0).asText()).isEqualTo(lastSite);
        assertThat(r.at("/steps/6/matches").asInt()).isEqualTo(1);
        assertThat(r.at("/steps/6/info").asText()).contains("100.0 %");
        assertThat(r.at("/steps/7/live").asInt()).isEqualTo(1);
    }

    @Test
    void aPageCutToAHundredRowsSaysOfHowManyAndItsFlameGraphKeepsEveryByte() throws Exception {
        LeakReport report = bigReport();
        Path html = dir.resolve("capped.html");
        try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
            new HtmlReport(report, new HtmlReport.Options("test", FrameTable.of(null, null), null, Map.of(), 100, null)).write(w);
        }
        JsonNode r = BrowserCheck.steps().step("summary").step("rows").step("text", "selector", "#capped")
                .step("flameSearch", "text", "smaller call stacks").step("flameSearch", "text", "0x40110000").run(html, dir);
        assertThat(r.get("consoleErrors")).isEmpty();
        assertThat(r.at("/steps/0/leakedBlocks").asText()).isEqualTo("100,000");
        assertThat(r.at("/steps/1/rows").asInt()).isEqualTo(100);
        assertThat(r.at("/steps/1/count").asText()).isEqualTo("100 rows (the largest of 5,000 call stacks)");
        assertThat(r.at("/steps/2/texts/0").asText()).startsWith("Showing the largest 100 of 5,000 call stacks; totals are exact");
        // the 4,900 stacks left out are one frame beside the others: the top bar is still every leaked byte
        JsonNode rest = r.at("/steps/3");
        assertThat(rest.get("names")).extracting(JsonNode::asText).containsExactly("(4,900 smaller call stacks, not in this page)");
        long restBytes = report.leakedBytes() - report.groups().subList(0, 100).stream().mapToLong(g -> g.bytes()).sum();
        assertThat(rest.get("info").asText()).contains(String.format("%,d bytes", restBytes));
        assertThat(r.at("/steps/4/info").asText()).contains(String.format("%,d bytes", report.groups().subList(0, 100).stream().mapToLong(g -> g.bytes()).sum()));
    }
}
