package heapscope.sysview;

import heapscope.Fixtures;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.report.EventPrinter;
import heapscope.source.InputSpec;
import heapscope.trace.Event;
import heapscope.trace.Free;
import heapscope.trace.HeapEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three layouts of one recording (per-core files, ESP_Extension single file, V3.60 container), written from
 * the corpus by the test-data writer {@link Layouts}, decode to the same heap events and leak sets, from files,
 * standard input and TCP.
 */
@Timeout(60)
class SvLayoutsTest {
    @TempDir
    static Path dir;
    private static Path container;
    private static Path esp;
    private static final List<Path> PER_CORE = List.of(Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"), Fixtures.corpus("esp-idf-sysview/heap_log1.svdat"));

    @BeforeAll
    static void write() throws IOException {
        container = Files.write(dir.resolve("heap_log_mcore_v360.svdat"), Layouts.container(PER_CORE));
        esp = Files.write(dir.resolve("heap_log_mcore_esp.svdat"), Layouts.espExtension(PER_CORE));
    }

    private static List<String> heapEvents(Decoded d) {
        EventPrinter p = new EventPrinter(d.recording(), false);
        return d.events().stream().filter(e -> e instanceof HeapEvent).map(p::text).toList();
    }

    private static List<String> leaks(LeakReport r) {
        return r.leaks().stream().map(b -> describe(r, b)).toList();
    }

    private static String describe(LeakReport r, LeakedBlock b) {
        return b.timeNs() + " " + b.core() + " " + r.recording().contexts().get(b.context()).name() + " " + b.address() + " " + b.size()
                + " " + Arrays.toString(r.recording().stacks().frames(b.stack()));
    }

    @Test
    void containerHasTheOffsetHeader() throws IOException {
        String head = new String(Files.readAllBytes(container), 0, 120, StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith(";\n; Version     SEGGER SystemViewer V3.60\n; Author      Espressif Inc\n; Offset Core0 0\n; Offset Core1 ");
    }

    @Test
    void allThreeLayoutsGiveTheSameHeapEventsAndLeaks() {
        Decoded perCore = Decoded.of(false, PER_CORE.toArray(Path[]::new));
        Decoded fromContainer = Decoded.of(false, container);
        Decoded fromEsp = Decoded.of(false, esp);
        assertThat(heapEvents(perCore)).hasSize(99);
        assertThat(heapEvents(fromContainer)).isEqualTo(heapEvents(perCore));
        assertThat(heapEvents(fromEsp)).isEqualTo(heapEvents(perCore));
        assertThat(fromContainer.recording().format()).contains("V3.60");
        assertThat(fromEsp.recording().format()).contains("ESP_Extension");
        assertThat(fromEsp.recording().warnings()).isEmpty();
        assertThat(fromContainer.recording().warnings()).isEmpty();

        LeakReport a = Decoded.leaks(PER_CORE.toArray(Path[]::new));
        LeakReport b = Decoded.leaks(esp);
        LeakReport c = Decoded.leaks(container);
        assertThat(a.leakedBytes()).isEqualTo(17706);
        assertThat(a.leakedBlocks()).isEqualTo(45);
        assertThat(leaks(b)).isEqualTo(leaks(a));
        assertThat(leaks(c)).isEqualTo(leaks(a));
    }

    @Test
    void espExtensionCarriesTheCoreInTheEventId() throws IOException {
        // heap frees happen on core 1 only; in this layout their 2-byte id has bit 6 of the second byte set
        byte[] b = Files.readAllBytes(esp);
        int freesOnCore1 = 0;
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0x81 && (b[i + 1] & 0xFF) == 0x44) {
                freesOnCore1++;
            }
        }
        assertThat(freesOnCore1).isGreaterThanOrEqualTo(27);
        Decoded d = Decoded.of(false, esp);
        assertThat(d.events().stream().filter(e -> e instanceof Free).allMatch(e -> e.core() == 1)).isTrue();
    }

    @Test
    void containerFromStandardInputIsSpilledAndDecoded() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(container)));
            LeakReport r = Decoded.leaks(List.of(new InputSpec.StdinInput()));
            assertThat(leaks(r)).isEqualTo(leaks(Decoded.leaks(PER_CORE.toArray(Path[]::new))));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void liveTcpStreamsOnePerCore() throws Exception {
        try (ServerSocket s0 = serve(PER_CORE.get(0)); ServerSocket s1 = serve(PER_CORE.get(1))) {
            List<InputSpec> inputs = List.of(InputSpec.parse("tcp://127.0.0.1:" + s0.getLocalPort()),
                    InputSpec.parse("tcp://127.0.0.1:" + s1.getLocalPort()));
            LeakReport r = Decoded.leaks(inputs);
            assertThat(r.leakedBytes()).isEqualTo(17706);
            assertThat(r.leakedBlocks()).isEqualTo(45);
            assertThat(r.recording().sources()).allMatch(n -> n.startsWith("tcp://127.0.0.1:"));
        }
    }

    @Test
    void liveTcpContainerIsSpilled() throws Exception {
        try (ServerSocket s = serve(container)) {
            LeakReport r = Decoded.leaks(List.of(InputSpec.parse("tcp://127.0.0.1:" + s.getLocalPort())));
            assertThat(r.leakedBytes()).isEqualTo(17706);
        }
    }

    /** Serves the file once to the first client, in small chunks like a live stream, then closes. */
    private static ServerSocket serve(Path file) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        byte[] data = Files.readAllBytes(file);
        Thread t = new Thread(() -> {
            try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                for (int i = 0; i < data.length; i += 700) {
                    out.write(data, i, Math.min(700, data.length - i));
                    out.flush();
                }
            } catch (IOException ignored) {
                // the test fails on its own side if the stream is incomplete
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }
}
