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

    /** Espressif's two-core recording (see src/test/resources/corpus/esp-idf-sysview/SOURCE.md). */
    public static Path corpus(String file) {
        return resource("corpus/esp-idf-sysview/" + file);
    }
}
