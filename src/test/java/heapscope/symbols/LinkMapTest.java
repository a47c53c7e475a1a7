package heapscope.symbols;

import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;
import heapscope.cli.CliRunAccess;
import heapscope.source.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The example firmware's link map (GNU ld 2.40, per-component archives, as ESP-IDF links). */
class LinkMapTest {
    private static final Path EXAMPLE = Fixtures.example("connection");

    @TempDir
    Path dir;


    @Test
    void addressesNameTheirComponentLibrary() throws IOException {
        LinkMap map = LinkMap.read(EXAMPLE.resolve("app.map"));
        Map<String, Long> sites = Fixtures.exampleCallSites();
        assertThat(map.component(sites.get("callback_init pthread_mutex_init") - 1)).contains("webrtc");
        assertThat(map.component(sites.get("app_init malloc") - 1)).contains("main");
        assertThat(map.component(sites.get("malloc heap_caps_malloc") - 1)).contains("heap");
        assertThat(map.component(sites.get("xQueueCreateMutex xQueueGenericCreate") - 1)).contains("freertos");
        assertThat(map.object(sites.get("pthread_mutex_init xQueueCreateMutex") - 1)).contains("esp-idf/pthread/libpthread.a(pthread.c.obj)");
        assertThat(map.component(0x3FFB0000L)).isEmpty();
    }

    @Test
    void theMapsLibraryNamesTheSiteComponent() throws Exception {
        Path renamed = Files.writeString(dir.resolve("app.map"), Files.readString(EXAMPLE.resolve("app.map")).replace("libwebrtc.a", "libdatachannel.a"));
        var run = CliRunAccess.run("analyze", EXAMPLE.resolve("cpu0.svdat").toString(), EXAMPLE.resolve("cpu1.svdat").toString(),
                "--elf", EXAMPLE.resolve("app.elf").toString(), "--map", renamed.toString(), "--format", "json");
        assertThat(new ObjectMapper().readTree(run).at("/sites/list/0/component").asText()).isEqualTo("datachannel");
    }

    @Test
    void aFileThatIsNoLinkMapIsRejected() throws IOException {
        Path other = Files.writeString(dir.resolve("x.map"), "hello\n");
        assertThatThrownBy(() -> LinkMap.read(other)).isInstanceOf(InputException.class).hasMessageContaining("not a GNU ld link map");
    }
}
