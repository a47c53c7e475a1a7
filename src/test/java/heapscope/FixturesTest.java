package heapscope;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixturesTest {
    @Test
    void everythingResolvesFromTheProjectRoot() {
        assertThat(Fixtures.root().resolve("pom.xml")).isRegularFile();
        assertThat(Fixtures.example("connection/app.elf")).isRegularFile().startsWith(Fixtures.root());
        assertThat(Fixtures.corpus("esp-idf-sysview/heap_log0.svdat")).isRegularFile()
                .isEqualTo(Fixtures.resource("corpus/esp-idf-sysview/heap_log0.svdat"));
        assertThatThrownBy(() -> Fixtures.resource("elf/no-such.elf"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such.elf");
    }

    /** The rule for public data the tests use: a copy under src/test/resources/corpus with a note of its source. */
    @Test
    void everyCorpusCopySaysWhereItCameFrom() throws IOException {
        List<Path> copies;
        try (Stream<Path> s = Files.list(Fixtures.resource("corpus"))) {
            copies = s.filter(Files::isDirectory).toList();
        }
        assertThat(copies).isNotEmpty().allSatisfy(dir -> assertThat(dir.resolve("SOURCE.md")).isRegularFile());
    }
}
