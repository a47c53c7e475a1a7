package heapscope.report;

import com.fasterxml.jackson.databind.JsonNode;
import heapscope.Fixtures;
import heapscope.cli.CliRunAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page on the connection example, whose ELF names /project/...: each known leak's explanation and fix beside
 * its site, paths without the shared directory (in full on hover), the allocator's frames marked in the flame
 * graph, and with --source-root links that open the site's line in VS Code.
 */
class HtmlReportSourceTest {
    private static final Path EXAMPLE = Fixtures.example("connection");

    @TempDir
    Path dir;

    private Path html(String... more) {
        Path html = dir.resolve("report" + more.length + ".html");
        List<String> args = new ArrayList<>(List.of("analyze", EXAMPLE.resolve("cpu0.svdat").toString(), EXAMPLE.resolve("cpu1.svdat").toString(),
                "--elf", EXAMPLE.resolve("app.elf").toString(), "--format", "html", "-o", html.toString()));
        args.addAll(List.of(more));
        CliRunAccess.run(args.toArray(String[]::new));
        return html;
    }

    @Test
    void rulesPathsAndAllocatorFrames() throws Exception {
        JsonNode r = BrowserCheck.steps()
                .step("attrs", "selector", "#leak-table tbody tr.row td:last-child", "names", "title")
                .step("attrs", "selector", "#leak-table .rule-explain, #leak-table .rule-fix")
                .step("attrs", "selector", "#flame-svg rect.allocator", "names", "data-name")
                .step("attrs", "selector", "#leak-table a.source-link")
                .expand(0)
                .run(html(), dir);
        assertThat(r.get("consoleErrors")).isEmpty();
        JsonNode first = r.at("/steps/0/elements/0");
        assertThat(first.get("text").asText()).startsWith("callback_init at components/webrtc/peer_connection.c:8");
        assertThat(first.get("title").asText()).isEqualTo("/project/components/webrtc/peer_connection.c:8");
        List<String> rule = new ArrayList<>();
        r.at("/steps/1/elements").forEach(e -> rule.add(e.get("text").asText()));
        assertThat(rule).anyMatch(t -> t.startsWith("pthread_mutex_init() (used by std::mutex"))
                .anyMatch(t -> t.startsWith("fix: Make sure every object owning the mutex is destroyed"));
        List<String> allocators = new ArrayList<>();
        r.at("/steps/2/elements").forEach(e -> allocators.add(e.get("data-name").asText()));
        assertThat(allocators).contains("pvPortMalloc", "xQueueGenericCreate", "pthread_mutex_init", "malloc")
                .doesNotContain("callback_init", "peer_connection_open", "app_main");
        assertThat(r.at("/steps/3/elements")).as("no links without --source-root").isEmpty();
        assertThat(r.at("/steps/4/lines/0").asText()).isEqualTo("0x400001ae: pvPortMalloc at components/freertos/queue.c:6");
    }

    @Test
    void withASourceRootSitesLinkToTheirLineInVsCode() throws Exception {
        JsonNode r = BrowserCheck.steps()
                .step("attrs", "selector", "#leak-table a.source-link", "names", "href")
                .step("attrs", "selector", "#leak-table tbody tr.row td:last-child")
                .run(html("--source-root", "/project"), dir);
        assertThat(r.get("consoleErrors")).isEmpty();
        assertThat(r.at("/steps/0/elements/0/href").asText()).isEqualTo("vscode://file/project/components/webrtc/peer_connection.c:8");
        assertThat(r.at("/steps/1/elements/0/text").asText()).startsWith("callback_init at components/webrtc/peer_connection.c:8");
    }
}
