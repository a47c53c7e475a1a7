package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.sim.DistinctStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More leaking call stacks than a report keeps groups for: the smallest are counted as one "other call stacks"
 * group, the totals stay the ground truth's, and every format says so before its figures.
 */
class FoldedStacksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A trace of N blocks, all leaked, each with a call stack of its own. */
    private DistinctStacks.Truth trace(int n, Path file) throws IOException {
        return DistinctStacks.write(new DistinctStacks.Spec(n, 4, 1), file);
    }

    @Test
    void beyondTheCapTheSmallestGroupsAreFoldedAndEveryHeadlineSaysSo() throws IOException {
        Path trace = dir.resolve("many.svdat");
        DistinctStacks.Truth truth = trace(70_000, trace);
        String t = trace.toString();
        CliRun text = CliRun.of("analyze", t, "--color", "never");
        assertThat(text.status()).as(text.err()).isZero();
        String summarised = "Summarised: " + t + ": 70,000 call stacks leak, more than the 65,536 a report keeps apart; the 4,464"
                + " smallest";
        assertThat(text.out().indexOf(summarised)).as(text.out()).isPositive()
                .isLessThan(text.out().indexOf("Found " + truth.leakedBytes() + " leaked bytes in 70000 blocks."));
        assertThat(text.out()).contains("from 70000 call stacks)"); // the stacks that leak, not the groups kept

        JsonNode json = JSON.readTree(CliRun.of("analyze", t, "--format", "json").out());
        assertThat(json.at("/conditions/0/kind").asText()).isEqualTo("folded_stacks");
        assertThat(json.at("/conditions/0/effect").asText()).isEqualTo("summarised");
        assertThat(json.at("/capture/complete").asBoolean()).isTrue(); // every event is there
        assertThat(json.at("/summary/leaked_bytes").asLong()).isEqualTo(truth.leakedBytes());
        JsonNode groups = json.get("groups");
        assertThat(groups).hasSize(65_537);
        long bytes = 0;
        long blocks = 0;
        for (JsonNode g : groups) {
            bytes += g.get("bytes").asLong();
            blocks += g.get("blocks").asLong();
            assertThat(g.path("folded").asBoolean()).isEqualTo(g == groups.get(65_536));
        }
        assertThat(bytes).isEqualTo(truth.leakedBytes());
        assertThat(blocks).isEqualTo(70_000);
        JsonNode other = groups.get(65_536);
        assertThat(other.get("blocks").asLong()).isEqualTo(4_464);
        assertThat(other.get("allocated_bytes").isNull()).isTrue();
        assertThat(other.get("callers").get(0).asText()).isEqualTo("0x100000000");
        // the smallest groups kept are no smaller than any folded block, so a budget per stack is still true
        assertThat(groups.get(65_535).get("bytes").asLong()).isGreaterThanOrEqualTo(16);
        long inOther = 0;
        for (JsonNode leak : json.get("leaks")) {
            inOther += leak.get("group").asInt() == 65_537 ? 1 : 0;
        }
        assertThat(inOther).isEqualTo(4_464);

        Path html = dir.resolve("r.html");
        Path junit = dir.resolve("r.xml");
        assertThat(CliRun.of("analyze", t, "--format", "html", "-o", html.toString(), "--junit", junit.toString()).status()).isZero();
        assertThat(Files.readString(html)).contains("Summarised: " + t + ": 70,000 call stacks leak");
        assertThat(Files.readString(junit)).contains("heapscope.folded_stacks").contains("Summarised: " + t);

        CliRun strict = CliRun.of("analyze", t, "--strict", "--top", "1");
        assertThat(strict.status()).isEqualTo(StrictOption.UNTRUSTED);
        assertThat(strict.err()).contains("--strict: folded_stacks: ");
        CliRun export = CliRun.of("export", t, "--format", "folded");
        assertThat(export.status()).isZero();
        assertThat(export.err()).contains("heapscope: summarised: " + t + ": 70,000 call stacks leak");
        assertThat(export.out()).contains("\n(other call stacks: the smallest leak groups beyond the cap, counted together) "
                + other.get("bytes").asLong() + "\n").doesNotContain("0x100000000");
        CliRun pprof = CliRun.of("export", t, "--format", "pprof", "-o", dir.resolve("p.pb.gz").toString());
        assertThat(pprof.status()).isZero();
        assertThat(gunzip(dir.resolve("p.pb.gz"))).contains("(other call stacks: the smallest leak groups beyond the cap");
        CliRun budget = CliRun.of("analyze", t, "--max-site-bytes", "79", "--top", "1"); // the largest block is 79 bytes
        assertThat(budget.status()).as(budget.out() + budget.err()).isZero();
    }

    @Test
    void atTheCapNothingIsFolded() throws IOException {
        Path trace = dir.resolve("cap.svdat");
        trace(65_536, trace);
        CliRun run = CliRun.of("analyze", trace.toString(), "--format", "json", "--strict");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("conditions")).isEmpty();
        assertThat(json.at("/summary/groups").asInt()).isEqualTo(65_536);
        assertThat(json.get("groups")).noneMatch(g -> g.has("folded"));
    }

    private static String gunzip(Path file) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
