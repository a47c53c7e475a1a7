package heapscope.report;

import com.fasterxml.jackson.databind.JsonNode;
import heapscope.Fixtures;
import heapscope.cli.CliRunAccess;
import heapscope.symbols.ElfDigest;
import heapscope.sysview.SvWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** With a real ELF: inline frames show under their caller in the stack and as frames of their own in the flame graph. */
class HtmlReportWithElfTest {
    private static final Path ELF = Fixtures.resource("elf/xtensa-O2-dwarf4.elf");
    private static final long INLINED = 0x4008005bL; // align_up inlined into words_for inlined into fx_alloc
    private static final long ROM = 0x40000400L;

    @TempDir
    Path dir;

    private Path trace(String elfSha) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SvWriter w = new SvWriter(bytes, false);
        w.start();
        w.traceStart(0, 0);
        w.init(0, 40_000_000, 160_000_000, 0x3F400000L, 0, 10);
        w.sysdesc(0, "N=FreeRTOS Application,D=esp32,C=xtensa,O=FreeRTOS", 10);
        if (elfSha != null) {
            w.sysdesc(0, "ELF_SHA256=" + elfSha, 10);
        }
        w.moduleDesc(0, 0, 512, SvWriter.HEAP_MODULE, 10);
        w.taskInfo(0, 0x100, 5, "main", 10);
        w.taskStartExec(0, 0x100, 10);
        w.heapAlloc(0, 512, 0x3FFB1000L, 48, new long[] {INLINED + 1, ROM}, 2, 4, 10);
        return Files.write(dir.resolve("trace.svdat"), bytes.toByteArray());
    }

    private Path html(String elfSha) throws IOException {
        Path html = dir.resolve("elf.html");
        CliRunAccess.run("analyze", trace(elfSha).toString(), "--elf", ELF.toString(), "--format", "html", "-o", html.toString());
        return html;
    }

    @Test
    void inlineFramesShowInTheStackAndTheFlameGraph() throws Exception {
        Path html = html(ElfDigest.sha256(ELF).substring(0, 16));
        JsonNode r = BrowserCheck.steps().step("summary").expand(0).step("flameSearch", "text", "align_up").run(html, dir);
        assertThat(r.get("consoleErrors")).isEmpty();
        assertThat(r.at("/steps/0/elfMismatch").asInt()).isZero();
        JsonNode expand = r.at("/steps/1");
        assertThat(expand.get("lines").get(0).asText()).startsWith("0x4008005c: align_up at ");
        assertThat(expand.get("inlined").asInt()).isEqualTo(2);
        assertThat(expand.get("lines").get(1).asText()).startsWith("(inlined by) words_for at ");
        assertThat(expand.get("lines").get(2).asText()).startsWith("(inlined by) fx_alloc at ");
        assertThat(expand.get("lines").get(3).asText()).isEqualTo("0x40000400: ?? (ROM, not in the ELF)");
        JsonNode flame = r.at("/steps/2");
        assertThat(flame.get("names")).extracting(JsonNode::asText).containsExactly("align_up");
        assertThat(flame.get("info").asText()).contains("48 bytes (100.0 %)");
    }

    @Test
    void anElfThatIsNotTheCapturesFirmwareIsFlaggedInTheSummary() throws Exception {
        String page = Files.readString(html("0123456789abcdef"));
        assertThat(page).contains("class=\"warning elf-mismatch\"").contains("is not the firmware of the capture (ELF SHA256 0123456789abcdef)");
        assertThat(Files.readString(html(ElfDigest.sha256(ELF).substring(0, 16)))).doesNotContain("elf-mismatch\"");
    }
}
