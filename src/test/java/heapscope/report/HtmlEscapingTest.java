package heapscope.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.SiteReport;
import heapscope.chip.Region;
import heapscope.Fixtures;
import heapscope.cli.CliRunAccess;
import heapscope.elf.ElfFile;
import heapscope.symbols.FrameTable;
import heapscope.symbols.Symbolizer;
import heapscope.sysview.SvWriter;
import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task names, file names, function names and log text come from the device and the ELF. Markup in them must
 * show as text: no element is created, no script runs, the data script cannot be closed early.
 */
class HtmlEscapingTest {
    static final String IMG = "<img src=x onerror=window.__pwned=true;alert(1)>";
    static final String SCRIPT = "</script><script>window.__pwned=true;alert(2)</script>";
    static final String EVIL = IMG + SCRIPT + "\"'&<!--\u2028";
    /** A return address in the test ELF whose call is align_up inlined into words_for inlined into fx_alloc. */
    static final long INLINED_RETURN = 0x4008005cL;

    @TempDir
    Path dir;

    /** Outside our own two script elements, no closing script tag, comment or image tag survives into the page. */
    private static void structurallySafe(String html) {
        assertThat(html.split("</script>", -1)).hasSize(3);
        assertThat(html).doesNotContain("<img").doesNotContain("<!--").doesNotContain("<script>window");
    }

    private static void nothingRan(JsonNode r) {
        assertThat(r.get("pwned").asBoolean()).isFalse();
        assertThat(r.get("dialogs")).isEmpty();
        assertThat(r.get("images").asInt()).as("img elements").isZero();
        assertThat(r.get("consoleErrors")).isEmpty();
        assertThat(r.get("requests")).isEmpty();
    }

    @Test
    void aCaptureWithMarkupInTaskNamesLogTextAndFileNameShowsItAsText() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(SvWriter.header(false, List.of()));
        SvWriter w = new SvWriter(bytes, false);
        w.sync();
        w.traceStart(0, 0);
        w.init(0, 40_000_000, 160_000_000, 0x3F400000L, 0, 10);
        w.sysdesc(0, "N=FreeRTOS Application,D=esp32,C=xtensa,O=FreeRTOS", 10);
        w.moduleDesc(0, 0, 512, SvWriter.HEAP_MODULE, 10);
        w.taskInfo(0, 100, 5, EVIL, 10);
        w.taskStartExec(0, 100, 10);
        for (int i = 0; i < 3; i++) {
            w.print(0, "New connection " + EVIL + "\n", 1000);
            w.heapAlloc(0, 512, 0x3FFB0000L + i * 64L, 32, new long[] {0x400D1234L}, 1, 4, 1000);
        }
        // a file name may hold markup too (not '/', so not the closing tag)
        Path trace = Files.write(dir.resolve(IMG + "\"'&.svdat"), bytes.toByteArray());
        Path html = dir.resolve("evil.html");
        CliRunAccess.run("analyze", trace.toString(), "--cycle", "New connection", "--format", "html", "-o", html.toString());
        structurallySafe(Files.readString(html));

        JsonNode r = BrowserCheck.steps().step("summary").step("rows").expand(0).step("text", "selector", "#live-chart line.marker title")
                .run(html, dir);
        nothingRan(r);
        assertThat(r.get("title").asText()).contains(IMG + "\"'&.svdat");
        assertThat(r.at("/steps/0/tasks/0").asText()).contains("task \"" + IMG + SCRIPT + "\"'&<!--");
        assertThat(r.at("/steps/1/rows").asInt()).isEqualTo(1);
        assertThat(r.at("/steps/1/first").asText()).contains(IMG + SCRIPT);
        assertThat(r.at("/steps/3/texts")).hasSize(3);
        assertThat(r.at("/steps/3/texts/0").asText()).isEqualTo("cycle 1: New connection " + IMG + SCRIPT + "\"'&<!--");

        // the other outputs stay well-formed with the same names
        JsonNode json = new ObjectMapper().readTree(CliRunAccess.run("analyze", trace.toString(), "--format", "json"));
        assertThat(json.at("/leaks/0/task").asText()).isEqualTo(EVIL);
        assertThat(CliRunAccess.run("analyze", trace.toString(), "--color", "never")).contains(IMG);
    }

    @Test
    void markupInElfFunctionsFilesAndComponentsStaysTextInTableStacksAndFlameGraph() throws Exception {
        Recording rec = new Recording();
        rec.addSource("capture " + SCRIPT);
        int task = rec.contexts().intern(Context.Kind.TASK, EVIL);
        int stack = rec.stacks().intern(INLINED_RETURN, 0x40000400L);
        LeakAnalysis analysis = new LeakAnalysis(null);
        analysis.accept(new Alloc(1_000_000, 0, task, 0x3FFB0000L, 48, stack));
        analysis.accept(new Alloc(2_000_000, 0, task, 0x3FFB0100L, 48, stack));
        LeakReport report = analysis.finish(rec);

        // every function the ELF names comes out with markup in it (align_up inlined into words_for into fx_alloc)
        FrameTable frames = FrameTable.of(Symbolizer.of(ElfFile.open(Fixtures.resource("elf/xtensa-O2-dwarf4.elf")), n -> n + IMG), null);
        String fn = "leak" + IMG;
        String file = "/src/" + SCRIPT + "\"'&.c";
        TreeMap<Long, Long> sizes = new TreeMap<>(Map.of(48L, 2L));
        TreeMap<Region, Long> regions = new TreeMap<>(Map.of(Region.UNKNOWN, 96L));
        SiteReport sites = new SiteReport(List.of(new SiteReport.Site(fn, file, 7, INLINED_RETURN - 1, "comp" + EVIL, 2, 96, sizes, regions,
                List.of(stack), null)), 96, 2);
        StringWriter out = new StringWriter();
        new HtmlReport(report, new HtmlReport.Options("test" + SCRIPT, frames, sites, Map.of(stack, IMG), HtmlReport.DEFAULT_ROWS, null)).write(out);
        structurallySafe(out.toString());
        assertThat(out.toString()).contains("<p id=\"suppressed\">of which 96 bytes in 2 blocks suppressed (1 call stacks, --suppress)</p>");
        Path html = Files.writeString(dir.resolve("elf.html"), out.toString());

        JsonNode r = BrowserCheck.steps().step("rows").expand(0).step("flameSearch", "text", "onerror").run(html, dir);
        nothingRan(r);
        assertThat(r.at("/steps/0/first").asText()).contains(fn + " at " + file + ":7").contains("comp" + IMG);
        JsonNode expand = r.at("/steps/1");
        assertThat(expand.get("lines").get(0).asText()).startsWith("0x4008005c: align_up" + IMG + " at ");
        assertThat(expand.get("lines").get(1).asText()).startsWith("(inlined by) words_for" + IMG + " at ");
        assertThat(expand.get("inlined").asInt()).isEqualTo(2);
        JsonNode flame = r.at("/steps/2");
        assertThat(flame.get("names")).extracting(JsonNode::asText).containsExactly("fx_alloc" + IMG, "words_for" + IMG, "align_up" + IMG);
    }

    @Test
    void crashesAndCorruptionReportsAreListedWithTheirTextEscaped() throws Exception {
        Path log = Files.writeString(dir.resolve("crash.log"), "I (100) app: start\n"
                + "CORRUPT HEAP: Bad head at 0x3ffb4a18. Expected 0xabba1234 got 0x3ffe4364 " + IMG + "\n"
                + "Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.\n\n"
                + "Backtrace: 0x400d2c5c:0x3ffb5f30 0x400d3a19:0x3ffb5f50 0x40087f2d:0x3ffb5f70\n\nRebooting...\n");
        Path html = dir.resolve("crash.html");
        CliRunAccess.run("analyze", log.toString(), "--format", "html", "-o", html.toString());
        String page = Files.readString(html);
        structurallySafe(page);
        assertThat(page).contains("<li class=\"crash\">line 3: LoadProhibited<pre>0x400d2c5c\n0x400d3a19\n0x40087f2d\n</pre>")
                .contains("got 0x3ffe4364 &lt;img src=x onerror=window.__pwned=true;alert(1)&gt;");
    }

    @Test
    void scriptJsonCannotEndTheScriptOrOpenAComment() {
        String json = "{\"s\":\"" + SCRIPT + "<!--&\u2028\u2029\"}";
        String safe = Html.scriptJson(json);
        assertThat(safe).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("\u2028").doesNotContain("\u2029")
                .contains("\\u003c/script\\u003e").contains("\\u003c!--").contains("\\u0026");
        assertThat(Html.text("<a href='x'>\"&</a>")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&lt;/a&gt;");
        assertThat(Html.text("task\u001b[2J")).isEqualTo("task\uFFFD[2J");
    }

    @Test
    void theScriptNeverParsesDataAsMarkup() {
        String js = Html.resource("report.js");
        assertThat(js).doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(").doesNotContain("</script");
        assertThat(js).contains("textContent");
    }
}
