package heapscope.export;

import java.util.List;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.JsonNode;
import heapscope.TinyTrace;
import heapscope.analysis.LeakReport;
import heapscope.symbols.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task names, log text and function names come from the device and the ELF: markup, ';', line ends, quotes and
 * control characters in them must leave every export well-formed, and the structured formats must carry them
 * unchanged.
 */
class DeviceStringsTest {
    private static final String EVIL = "<img src=x onerror=alert(1)>;</script>\nnext;line\u001b[2J\"\\";

    @TempDir
    Path dir;

    private Path capture() throws IOException {
        TinyTrace t = new TinyTrace().task(100, EVIL);
        t.w.print(0, EVIL + "\n", 10);
        t.w.heapAlloc(0, 512, 0x3FFB0000L, 32, new long[] {0x400D1234L, 0x400D2000L}, 2, 4, 10);
        return t.write(dir.resolve("evil.svdat"));
    }

    /** Frames named like the device strings, as a crafted ELF could name them. */
    private static StackFrames evilFrames(LeakReport report) {
        return new StackFrames(report.recording().stacks(), a -> List.of(new Frame(EVIL, EVIL, 7, 0, true), new Frame(EVIL, null, 0, 0, false)));
    }

    @Test
    void pprofCarriesTheTaskNameUnchangedAndGoToolPprofReadsIt() throws Exception {
        Path trace = capture();
        Path file = Exports.exportFile(dir, "pprof", trace.toString(), "--cycle", "onerror");
        WireProfile p = WireProfile.parse(Files.readAllBytes(file));
        WireProfile.Sample leak = p.samples().stream().filter(s -> s.values().get(0) == 32).findFirst().orElseThrow();
        assertThat(p.label(leak, "task")).isEqualTo(EVIL);
        assertThat(p.label(leak, "cycle")).isEqualTo("1");
        assertThat(GoPprof.run(file, "-tags")).contains("onerror=alert(1)>");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LeakReport report = Exports.analyze("onerror", trace.toString());
        new PprofExport(report, evilFrames(report), null, a -> false, EVIL, List.of()).write(out);
        WireProfile named = WireProfile.parse(out.toByteArray());
        assertThat(named.functions()).extracting(f -> named.string(f.name())).containsOnly(EVIL);
        assertThat(named.string(named.comments().get(0))).isEqualTo(EVIL);
    }

    @Test
    void foldedLinesStayOneRecordWithOneCount() throws IOException {
        LeakReport report = Exports.analyze(null, capture().toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FoldedExport(report, evilFrames(report)).write(out);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).matches(FoldedExportTest.LINE);
            assertThat(line.substring(0, line.lastIndexOf(' ')).split(";")).as("2 addresses x 2 frames").hasSize(4);
            assertThat(line).doesNotContain("\u001b").endsWith(" 32");
        });
    }

    @Test
    void speedscopeAndChromeJsonStayWellFormedAndCarryTheStringsUnchanged() throws IOException {
        Path trace = capture();
        JsonNode file = SpeedscopeExportTest.validate(Exports.export(dir, "speedscope", trace.toString()));
        assertThat(file.path("profiles").get(0).path("endValue").asLong()).isEqualTo(32);

        List<JsonNode> events = ChromeTraceExportTest.validate(Exports.export(dir, "chrome", trace.toString(), "--cycle", "onerror"));
        JsonNode marker = events.stream().filter(e -> e.path("ph").asText().equals("i")).findFirst().orElseThrow();
        assertThat(marker.path("args").path("marker").asText()).contains(EVIL.substring(0, EVIL.indexOf('\n')));
        JsonNode leak = events.stream().filter(e -> e.path("name").asText().startsWith("leak #")).findFirst().orElseThrow();
        assertThat(leak.path("args").path("tasks").get(0).asText()).isEqualTo(EVIL);

        LeakReport report = Exports.analyze(null, trace.toString());
        ByteArrayOutputStream speedscope = new ByteArrayOutputStream();
        new SpeedscopeExport(report, evilFrames(report), EVIL).write(speedscope);
        JsonNode named = SpeedscopeExportTest.validate(speedscope.toByteArray());
        assertThat(named.path("name").asText()).isEqualTo(EVIL);
        assertThat(named.path("shared").path("frames").get(0).path("name").asText()).isEqualTo(EVIL);
        ByteArrayOutputStream chrome = new ByteArrayOutputStream();
        new ChromeTraceExport(report, evilFrames(report), EVIL).write(chrome);
        assertThat(ChromeTraceExportTest.validate(chrome.toByteArray()).get(0).path("args").path("name").asText()).isEqualTo(EVIL);
    }
}
