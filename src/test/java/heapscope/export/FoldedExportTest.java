package heapscope.export;

import heapscope.analysis.LeakReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folded stacks as flamegraph.pl reads them: {@code frame;frame;... count} per line. Debian ships no flamegraph.pl
 * (no package has it), so the format is checked here against its grammar rather than by the script.
 */
class FoldedExportTest {
    /** flamegraph.pl's own parse: the count is the last space-separated field, frames split on ';'. */
    static final Pattern LINE = Pattern.compile("^(.+) (\\d+)$");

    @TempDir
    Path dir;

    @Test
    void oneLinePerStackRootFirstSummingToTheLeakedBytes() throws IOException {
        String[] args = {Exports.exampleInputs()[0], Exports.exampleInputs()[1], "--elf", Exports.elf()};
        List<String> lines = new String(Exports.export(dir, "folded", args), StandardCharsets.UTF_8).lines().toList();
        long total = 0;
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            total += Long.parseLong(m.group(2));
            String[] frames = m.group(1).split(";");
            assertThat(frames[0]).as("root first").isEqualTo("_start");
            assertThat(frames[frames.length - 1]).as("allocator last").isIn("pvPortMalloc", "malloc");
        }
        assertThat(total).isEqualTo(Exports.EXAMPLE_LEAKED_BYTES);
        assertThat(lines).contains("_start;app_main;on_new_connection;peer_connection_open;callback_init;pthread_mutex_init;"
                + "xQueueCreateMutex;xQueueGenericCreate;pvPortMalloc 64512");
    }

    @Test
    void withoutAnElfFramesAreAddressesOnePerStack() throws IOException {
        LeakReport report = Exports.analyze(null, Exports.exampleInputs());
        List<String> lines = new String(Exports.export(dir, "folded", Exports.exampleInputs()), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(report.groups().size());
        int stack = report.groups().get(0).stack();
        int depth = report.recording().stacks().depth(stack);
        String expected = String.format("0x%08x", report.recording().stacks().frame(stack, depth - 1)) + ";"; // the root
        assertThat(lines.get(0)).startsWith(expected).endsWith(" " + report.groups().get(0).bytes());
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("^(0x[0-9a-f]{8};)*0x[0-9a-f]{8} \\d+$"));
    }

    @Test
    void namesCannotSplitFramesOrRecords() {
        assertThat(FoldedExport.name("a;b\nc\rd")).isEqualTo("a:b\\nc\\rd");
        assertThat(FoldedExport.name("operator<<(std::ostream&, int)")).isEqualTo("operator<<(std::ostream&, int)");
        assertThat(FoldedExport.name("")).isEqualTo("??");
    }
}
