package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem matcher of docs/vscode/tasks.json applied to real {@code --format gcc} output, as VS Code applies it
 * (its regexp uses only what JavaScript's and Java's regular expressions share): every warning and error site
 * lands in the Problems panel with a file that exists in the example's source tree, the site's line and the message.
 */
class VsCodeMatcherTest {
    private static final Path EXAMPLE = Fixtures.example("connection");
    private static final String CPU0 = EXAMPLE.resolve("cpu0.svdat").toString();
    private static final String CPU1 = EXAMPLE.resolve("cpu1.svdat").toString();
    private static final String ELF = EXAMPLE.resolve("app.elf").toString();

    @TempDir
    Path dir;

    private record Problem(String file, int line, String severity, String message) {
    }

    private static JsonNode matcher() throws IOException {
        JsonNode tasks = new ObjectMapper().readTree(Fixtures.project("docs/vscode/tasks.json").toFile());
        JsonNode task = tasks.at("/tasks/0");
        assertThat(task.get("args").toString()).contains("\"--format\",\"gcc\"");
        return task.get("problemMatcher");
    }

    /** What VS Code's matcher would report for each line of OUTPUT. */
    private static List<Problem> problems(JsonNode matcher, String output) {
        JsonNode p = matcher.get("pattern");
        Pattern regexp = Pattern.compile(p.get("regexp").asText());
        List<Problem> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = regexp.matcher(line);
            if (m.find()) {
                out.add(new Problem(m.group(p.get("file").asInt()), Integer.parseInt(m.group(p.get("line").asInt())),
                        m.group(p.get("severity").asInt()), m.group(p.get("message").asInt())));
            }
        }
        return out;
    }

    @Test
    void everyLeakingSiteIsAProblemAtItsSourceLine() throws IOException {
        JsonNode matcher = matcher();
        assertThat(matcher.get("owner").asText()).isEqualTo("heapscope");
        assertThat(matcher.at("/fileLocation/0").asText()).isEqualTo("autoDetect");
        Path suppress = dir.resolve("accepted.supp");
        Files.writeString(suppress, "leak:app_init\n");
        // the example's ELF was built in /project: its firmware/ is the workspace
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--cycle", "New connection", "--max-leak-per-cycle", "0",
                "--suppress", suppress.toString(), "--source-root", "/project", "--format", "gcc");
        assertThat(run.status()).as(run.err()).isEqualTo(AnalyzeCommand.BUDGET_EXCEEDED);
        List<Problem> problems = problems(matcher, run.out());
        // 8 sites; app_init's two are accepted, so notes, which stay out of the Problems panel
        assertThat(problems).hasSize(6);
        assertThat(run.out()).contains("main/app_main.c:16: note: ");
        Problem first = problems.get(0);
        assertThat(first.file()).isEqualTo("components/webrtc/peer_connection.c");
        assertThat(first.line()).isEqualTo(8);
        assertThat(first.severity()).isEqualTo("error");
        assertThat(first.message()).startsWith("64,512 bytes in 768 blocks of 84 B allocated in callback_init (webrtc) and never freed")
                .contains("Over budget max-leak-per-cycle").doesNotContain("[heap-leak]");
        Path workspace = EXAMPLE.resolve("firmware");
        for (Problem p : problems) { // click-to-source: the file is there and the line is the allocating call
            List<String> source = Files.readAllLines(workspace.resolve(p.file()));
            assertThat(source.get(p.line() - 1)).as(p.toString()).containsPattern("malloc|pthread_mutex_init|pthread_create|calloc");
        }
        // the budget's own line has no source line: it stays in the terminal
        assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("heapscope: error: budget max-leak-per-cycle exceeded");
    }

    @Test
    void withoutBudgetsTheyAreWarningsAndAConditionStaysInTheTerminal() throws IOException {
        CliRun run = CliRun.of("analyze", CPU0, "--elf", ELF, "--format", "gcc");
        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("heapscope: warning: Incomplete: " + CPU0 + ": core 1's stream is missing");
        List<Problem> problems = problems(matcher(), run.out());
        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p.severity()).isEqualTo("warning"));
        assertThat(problems).hasSize(lines.size() - 1);
        assertThat(problems).allSatisfy(p -> assertThat(p.file()).startsWith("/project/")); // absolute: autoDetect opens them as they are
    }
}
