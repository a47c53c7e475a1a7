package heapscope.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heapscope.Fixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * speedscope itself (its npm package's build in headless Chromium, src/test/browser/speedscope.mjs) importing a
 * file: the reader that prints what an export gets wrong as console warnings. Missing tools fail the test.
 */
final class Speedscope {
    private static final Path HARNESS = Fixtures.project("src/test/browser");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Speedscope() {
    }

    /** {@code title}, {@code text} (the page's text), {@code warnings} and {@code errors} of the import. */
    static JsonNode open(Path file, Path work) throws IOException, InterruptedException {
        if (!Files.isDirectory(HARNESS.resolve("node_modules/speedscope"))) {
            throw new AssertionError("src/test/browser/node_modules/speedscope is missing: run scripts/deps/browser.sh");
        }
        Path stdout = Files.createTempFile(work, "speedscope", ".out");
        Path stderr = Files.createTempFile(work, "speedscope", ".err");
        Process p;
        try {
            p = new ProcessBuilder("node", HARNESS.resolve("speedscope.mjs").toString(), file.toString())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (" + e.getMessage() + "): run scripts/deps/browser.sh", e);
        }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("speedscope did not finish in 180 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("speedscope failed (status " + p.exitValue() + "): " + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return JSON.readTree(Files.readString(stdout, StandardCharsets.UTF_8));
    }
}
