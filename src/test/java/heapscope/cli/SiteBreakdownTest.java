package heapscope.cli;

import java.util.List;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.TinyTrace;
import heapscope.sysview.SvWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allocation-site breakdown on a committed fixture ELF: stacks through the fixture's allocator (fx_alloc,
 * declared with --allocators) are attributed to their first caller outside it, grouped, measured and matched
 * by a user rule; the built-in rules and allocator list load.
 */
class SiteBreakdownTest {
    private static final Path ELF = Fixtures.resource("elf/xtensa-O0-dwarf4.elf");

    @TempDir
    Path dir;

    /** The first address whose innermost frame in the oracle is {@code function}, not inlined anywhere. */
    static long addressIn(String function) throws IOException {
        return addressIn(function, 0);
    }

    /** The n-th such address (0-based). */
    static long addressIn(String function, int nth) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Fixtures.resource("elf/xtensa-O0-dwarf4.llvm-C.gz"))), StandardCharsets.UTF_8))) {
            List<String> block = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty()) {
                    block.add(line);
                    continue;
                }
                if (block.size() == 3 && block.get(1).equals(function) && nth-- == 0) {
                    return Long.decode(block.get(0));
                }
                block.clear();
            }
        }
        throw new AssertionError(function + " not in the oracle");
    }

    private Path trace() throws IOException {
        return trace(dir.resolve("t.svdat"), 0, 5);
    }

    /** A capture whose callers sit at the {@code shift}-th address of each function, {@code blocks} via Tracker::alloc. */
    static Path trace(Path file, int shift, int blocks) throws IOException {
        long alloc = addressIn("fx_alloc", shift);
        long tracker = addressIn("heapscope::fx::Tracker::alloc(unsigned int)", shift);
        long main = addressIn("cpp_main", shift);
        TinyTrace t = new TinyTrace();
        SvWriter w = t.w;
        long address = 0x3FFB1000L;
        for (int i = 0; i < blocks; i++) { // 48-byte blocks through Tracker::alloc, from cpp_main
            w.heapAlloc(0, 512, address += 64, 48, new long[] {alloc + 1, tracker + 1, main + 1}, 3, 4, 10);
        }
        w.heapAlloc(0, 512, address + 64, 300, new long[] {alloc + 1, main + 1}, 2, 4, 10); // directly from cpp_main
        return t.write(file);
    }

    @Test
    void sitesAreTheFirstFramesOutsideTheAllocatorWithTheirRules() throws IOException {
        Path allocators = Files.writeString(dir.resolve("alloc.txt"), "# the fixture's allocator\nfx_alloc\npool_*\n");
        Path rules = Files.writeString(dir.resolve("rules.txt"), """
                [fixture-block]
                kind = leak
                frames = fx_alloc, heapscope::fx::Tracker::*
                size = 48
                title = Tracker block never released
                explain = the fixture keeps it
                fix = release it
                """);
        CliRun run = CliRun.of("analyze", trace().toString(), "--elf", ELF.toString(), "--allocators", allocators.toString(),
                "--rules", rules.toString(), "--format", "json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode sites = new ObjectMapper().readTree(run.out()).get("sites");
        assertThat(sites.get("total_bytes").asLong()).isEqualTo(5 * 48 + 300);
        JsonNode list = sites.get("list");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("function").asText()).isEqualTo("cpp_main"); // 300 B
        assertThat(list.get(0).get("rule").isNull()).isTrue();
        assertThat(list.get(1).get("function").asText()).isEqualTo("heapscope::fx::Tracker::alloc(unsigned int)");
        assertThat(list.get(1).get("blocks").asLong()).isEqualTo(5);
        assertThat(list.get(1).get("file").asText()).endsWith("tracker.cpp");
        assertThat(list.get(1).at("/rule/name").asText()).isEqualTo("fixture-block");

        CliRun text = CliRun.of("analyze", trace().toString(), "--elf", ELF.toString(), "--allocators", allocators.toString(),
                "--rules", rules.toString(), "--color", "never");
        assertThat(text.out()).contains("Leak breakdown by allocation site").contains("known leak: Tracker block never released")
                .contains("TOTAL");
    }

    @Test
    void withoutTheUsersAllocatorListTheAllocatorItselfIsTheSite() throws IOException {
        CliRun run = CliRun.of("analyze", trace().toString(), "--elf", ELF.toString(), "--format", "json");
        JsonNode list = new ObjectMapper().readTree(run.out()).at("/sites/list");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("function").asText()).isEqualTo("fx_alloc");
    }

    @Test
    void diffMatchesSitesByFunctionWhenAddressesMoved() throws IOException {
        Path allocators = Files.writeString(dir.resolve("alloc.txt"), "fx_alloc\npool_*\n");
        Path before = trace(dir.resolve("before.svdat"), 0, 5);
        Path after = trace(dir.resolve("after.svdat"), 1, 2); // another build: other addresses, two blocks left
        CliRun run = CliRun.of("diff", before.toString(), after.toString(), "--elf", ELF.toString(), "--allocators", allocators.toString(),
                "--format", "json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode sites = new ObjectMapper().readTree(run.out()).get("sites");
        assertThat(sites).hasSize(2);
        assertThat(sites.get(0).get("status").asText()).isEqualTo("shrunk");
        assertThat(sites.get(0).get("label").asText()).startsWith("heapscope::fx::Tracker::alloc(unsigned int)");
        assertThat(sites.get(0).get("before_blocks").asLong()).isEqualTo(5);
        assertThat(sites.get(0).get("after_blocks").asLong()).isEqualTo(2);
        assertThat(sites.get(1).get("status").asText()).isEqualTo("same");
        // without the ELF the moved addresses do not match: everything looks fixed and new
        CliRun raw = CliRun.of("diff", before.toString(), after.toString(), "--format", "json");
        assertThat(new ObjectMapper().readTree(raw.out()).get("sites")).hasSize(4);
    }

    @Test
    void aBrokenRulesFileIsAOneLineError() throws IOException {
        Path rules = Files.writeString(dir.resolve("bad.txt"), "[no-frames]\ntitle = x\n");
        CliRun run = CliRun.of("analyze", trace().toString(), "--elf", ELF.toString(), "--rules", rules.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("heapscope: " + rules + ": line 1: rule [no-frames] needs frames");
    }
}
