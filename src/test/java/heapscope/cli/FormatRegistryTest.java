package heapscope.cli;

import heapscope.Fixtures;
import heapscope.export.Exporter;
import heapscope.report.Renderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** --format accepts what the registries hold, and help lists exactly that. */
class FormatRegistryTest {
    private static final String LOG = Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt").toString();

    @Test
    void everyRendererIsAFormatOfAnalyzeAndItsHelpListsIt() {
        String help = CliRun.of("analyze", "--help").out().replaceAll("\\s+", " "); // help wraps to the terminal
        for (Renderer r : Renderer.ALL) {
            assertThat(help).contains(" " + r.name() + " " + r.summary());
            CliRun run = CliRun.of("analyze", LOG, "--format", r.name(), "--color", "never");
            assertThat(run.status()).as(r.name()).isZero();
            assertThat(run.out()).as(r.name()).isNotBlank();
        }
        CliRun bad = CliRun.of("analyze", LOG, "--format", "yaml");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("heapscope: unknown --format 'yaml' (text or json or html or junit or sarif or github or gcc)\n");
    }

    @Test
    void everyExporterIsAFormatOfExportAndItsHelpListsIt() {
        String help = CliRun.of("export", "--help").out().replaceAll("\\s+", " ");
        for (Exporter e : Exporter.ALL) {
            assertThat(help).contains(" " + e.name() + " " + e.summary());
        }
        CliRun bad = CliRun.of("export", LOG, "--format", "svg");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("heapscope: unknown --format 'svg' (pprof or folded or speedscope or chrome)\n");
    }

    @Test
    void theJunitFormatIsWhatJunitFileWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checks.xml");
        CliRun viaFile = CliRun.of("analyze", LOG, "--max-leaked-bytes", "1", "--junit", file.toString(), "-o", dir.resolve("r.txt").toString());
        CliRun viaFormat = CliRun.of("analyze", LOG, "--max-leaked-bytes", "1", "--format", "junit");
        assertThat(viaFile.status()).isEqualTo(3);
        assertThat(viaFormat.status()).isEqualTo(3);
        // the two runs may fall in different seconds: the report's timestamp is the one field allowed to differ
        assertThat(undated(viaFormat.out())).contains("<testsuite").isEqualTo(undated(Files.readString(file)));
    }

    private static String undated(String junit) {
        return junit.replaceAll("timestamp=\"[^\"]*\"", "timestamp=\"\"");
    }
}
