package heapscope;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates committed test resources. */
public final class TestData {
    private TestData() {
    }

    public static Path resource(String name) {
        URL url = TestData.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalArgumentException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The example firmware's call sites (examples/connection/callsites.txt): "caller callee" -> the return
     * address of the first such call.
     */
    public static java.util.Map<String, Long> exampleCallSites() throws java.io.IOException {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(Path.of("examples/connection/callsites.txt"))) {
            String[] f = line.split(" ");
            out.putIfAbsent(f[0] + " " + f[1], Long.decode(f[2]));
        }
        return out;
    }

    /** Espressif's two-core recording (see src/test/resources/corpus/esp-idf-sysview/SOURCE.md). */
    public static Path corpus(String file) {
        return resource("corpus/esp-idf-sysview/" + file);
    }
}
