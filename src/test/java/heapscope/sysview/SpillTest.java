package heapscope.sysview;

import heapscope.Fixtures;
import heapscope.source.Peer;
import heapscope.source.SpillFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A multi-core container that cannot be read twice (a live stream, standard input) is spilled to a temporary file
 * that nobody else can read and that no way out of the process leaves behind, Ctrl-C included. Run as a separate
 * process with its own temporary directory, so that nothing else's files are counted.
 */
@Timeout(120)
class SpillTest {
    @TempDir
    Path tmp;
    @TempDir
    Path dir;

    @Test
    void aSpilledContainerIsOwnerOnlyAndGoneAfterCtrlC() throws Exception {
        byte[] container = Layouts.container(List.of(Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"), Fixtures.corpus("esp-idf-sysview/heap_log1.svdat")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (Peer openocd = Peer.serving(container, Peer.End.HOLD)) {
            Process analyze = new ProcessBuilder(List.of(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                    "heapscope.cli.Main", "analyze", "tcp://127.0.0.1:" + openocd.port(), "--color", "never")).start();
            BufferedReader err = new BufferedReader(new InputStreamReader(analyze.getErrorStream(), StandardCharsets.UTF_8));
            openocd.awaitDelivered(); // the whole container came and is being spilled: the stream stays open
            assertThat(spills()).allSatisfy(f -> assertThat(Files.getPosixFilePermissions(f))
                    .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            new ProcessBuilder("kill", "-INT", Long.toString(analyze.pid())).start().waitFor();
            assertThat(analyze.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(analyze.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).as(err.lines().toList().toString()).contains("Found 17706 leaked bytes in 45 blocks.");
        }
        assertThat(spills()).isEmpty();
    }

    @Test
    void aSpillFileHasNoNameOnPosixAndIsGoneWhenClosed() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"));
        try (SpillFile spill = SpillFile.copy(new ByteArrayInputStream(bytes), dir);
             Stream<Path> left = Files.list(dir)) {
            assertThat(spill.size()).isEqualTo(bytes.length);
            assertThat(spill.from(100).readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 100, bytes.length));
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertThat(left).isEmpty();
            }
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    private Set<Path> spills() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return Set.copyOf(files.filter(f -> f.getFileName().toString().startsWith("heapscope-")).toList());
        }
    }
}
