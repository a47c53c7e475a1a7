package heapscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.TinyTrace;
import heapscope.symbols.ElfDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** --stack-depth and completion through the one pipeline: text, JSON and folded stacks mark what was inferred. */
class StackCompletionCliTest {
    private static final String CPU0 = Fixtures.example("connection/cpu0.svdat").toString();
    private static final String CPU1 = Fixtures.example("connection/cpu1.svdat").toString();
    private static final String ELF = Fixtures.example("connection/app.elf").toString();

    @TempDir
    Path dir;

    @Test
    void cutToTwoFramesTheTextReportShowsTheCertainCallersMarked() {
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--stack-depth", "2", "--color", "never");
        assertThat(run.status()).isZero();
        // peer_connection_open's malloc: recorded 2 frames, then on_new_connection, app_main, _start, all certain
        assertThat(run.out()).contains("      0x4000011a: peer_connection_open at /project/components/webrtc/peer_connection.c:29\n"
                + "     ~0x4000007a: on_new_connection at /project/main/app_main.c:30\n"
                + "     ~0x400000a6: app_main at /project/main/app_main.c:41\n"
                + "     ~0x400000b0: _start at /project/main/app_main.c:47\n");
        assertThat(run.out()).contains("~ called from one of:").contains("call stacks extended from the firmware's call graph");
    }

    @Test
    void noCompleteLeavesTheStacksAsRecorded() {
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--stack-depth", "2", "--no-complete", "--color", "never");
        assertThat(run.status()).isZero();
        assertThat(run.out()).doesNotContain("~0x").doesNotContain("called from one of").doesNotContain("on_new_connection at");
    }

    @Test
    void fullStacksAsRecordedGainNothingAndLoseNothing() {
        CliRun full = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--color", "never");
        CliRun plain = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--no-complete", "--color", "never");
        assertThat(full.out()).doesNotContain("~0x").isEqualTo(plain.out());
    }

    @Test
    void jsonMarksInferredFramesAndCandidates() throws IOException {
        Path out = dir.resolve("r.json");
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--stack-depth", "2", "--format", "json", "-o", out.toString());
        assertThat(run.status()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        int inferred = 0;
        int recorded = 0;
        int candidates = 0;
        for (JsonNode group : json.get("groups")) {
            for (JsonNode f : group.get("frames")) {
                if (f.path("inferred").asBoolean()) {
                    inferred++;
                } else {
                    recorded++;
                }
            }
            candidates += group.path("caller_candidates").size();
        }
        assertThat(recorded).isGreaterThan(0);
        assertThat(inferred).isGreaterThan(0);
        assertThat(candidates).isGreaterThan(0);
    }

    @Test
    void foldedStacksNameInferredFramesWithATilde() throws IOException {
        Path out = dir.resolve("s.folded");
        CliRun run = CliRun.of("export", CPU0, CPU1, "--elf", ELF, "--format", "folded", "--stack-depth", "2", "-o", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.readString(out)).contains("~_start;~app_main;~on_new_connection;peer_connection_open;malloc ");
        CliRun plain = CliRun.of("export", CPU0, CPU1, "--elf", ELF, "--format", "folded", "--stack-depth", "2", "--no-complete", "-o", out.toString());
        assertThat(plain.status()).isZero();
        assertThat(Files.readString(out)).doesNotContain("~");
    }

    @Test
    void withoutCallersTheHeadlineNamesTheKconfigOptionsAndAttributesBySizeTaskAndRegion() {
        CliRun run = CliRun.of("analyze", Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString(),
                Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString(), "--stack-depth", "0", "--color", "never");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Found 17706 leaked bytes in 45 blocks.")
                .contains("No call stacks in this capture (--stack-depth 0 cut every one).")
                .contains("CONFIG_HEAP_TRACING_STACK_DEPTH").contains("CONFIG_ESP_SYSTEM_USE_FRAME_POINTER")
                .contains("Attributed by size, task and region instead");
        CliRun recorded = CliRun.of("analyze", Fixtures.corpus("esp-idf-sysview/heap_log0.svdat").toString(),
                Fixtures.corpus("esp-idf-sysview/heap_log1.svdat").toString(), "--color", "never");
        assertThat(recorded.out()).doesNotContain("No call stacks in this capture");
    }

    @Test
    void theMonitorCompletesAsAnalyzeDoes() throws IOException {
        InputStream saved = System.in;
        CliRun run;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(CPU0))));
            run = CliRun.of("monitor", "-", "--elf", ELF, "--stack-depth", "2", "--color", "never", "--status", "0");
        } finally {
            System.setIn(saved);
        }
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("     ~0x4000014c: pthread_mutex_init at /project/components/pthread/pthread.c:7\n")
                .contains("call stacks extended from the firmware's call graph");
    }

    @Test
    void htmlMarksInferredFramesAndJsonSaysWhenThereAreNoCallers() throws IOException {
        Path html = dir.resolve("r.html");
        CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", ELF, "--stack-depth", "2", "--format", "html", "-o", html.toString());
        assertThat(run.status()).isZero();
        assertThat(Files.readString(html)).contains("<span class=\"inferred\" title=\"inferred from the call graph\">~</span>0x4000007a: on_new_connection");
        Path json = dir.resolve("r.json");
        CliRun none = CliRun.of("analyze", CPU0, CPU1, "--stack-depth", "0", "--format", "json", "-o", json.toString());
        assertThat(none.status()).isZero();
        assertThat(new ObjectMapper().readTree(json.toFile()).at("/summary/no_callers").asText()).isEqualTo("--stack-depth 0 cut every one");
    }

    /**
     * The ELF check needs the whole capture, and completion runs while it streams: when the check fails at the end,
     * every inferred frame and candidate is withdrawn. Here the stack agrees with the ELF's call graph, so only the
     * capture's ELF_SHA256 tells that the ELF is another build's.
     */
    @Test
    void anElfFoundNotToBeTheFirmwareInfersNoCaller() throws IOException {
        String digest = ElfDigest.sha256(Path.of(ELF));
        CliRun matching = CliRun.of("analyze", peerConnectionOpen(digest.substring(0, 16)).toString(), "--elf", ELF, "--color", "never");
        assertThat(matching.out()).doesNotContain("not the firmware")
                .contains("     ~0x4000007a: on_new_connection at /project/main/app_main.c:30\n");
        for (String format : new String[] {"text", "json", "html"}) {
            CliRun other = CliRun.of("analyze", peerConnectionOpen("0123456789abcdef").toString(), "--elf", ELF, "--color", "never",
                    "--format", format);
            assertThat(other.status()).isZero();
            assertThat(other.out()).contains("is not the firmware of the capture").contains("infers no caller from its call graph")
                    .doesNotContain("0x4000007a").doesNotContain("~0x").doesNotContain("\"inferred\"").doesNotContain("call graph (frames marked ~)")
                    .contains("0x4000011a");
        }
    }

    /** One malloc from peer_connection_open, its two frames as the example records them, under a stated ELF digest. */
    private Path peerConnectionOpen(String elfSha) throws IOException {
        TinyTrace t = new TinyTrace("N=FreeRTOS Application,D=esp32p4,C=riscv,O=FreeRTOS,ELF_SHA256=" + elfSha); // the example's chip
        t.task(0x100, "webrtc");
        t.w.heapAlloc(0, 512, 0x3FFB1000L, 1536, new long[] {0x40000238L, 0x4000011aL}, 2, 2, 10);
        return t.write(dir.resolve("trace-" + elfSha + ".svdat"));
    }
}
