package heapscope.report;

import heapscope.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/browser/check.mjs on a report: headless Chromium opens it, performs the steps and answers with
 * what a person would see. Missing tools fail the test (never skip it), naming the script that installs them.
 */
final class BrowserCheck {
    static final Path HARNESS = Fixtures.project("src/test/browser");
    static final String CHROMIUM = System.getenv().getOrDefault("HEAPSCOPE_CHROMIUM", "/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode plan = JSON.createObjectNode();
    private final ArrayNode steps = plan.putArray("steps");

    static BrowserCheck steps() {
        return new BrowserCheck();
    }

    BrowserCheck withoutJavaScript() {
        plan.put("javaScript", false);
        return this;
    }

    BrowserCheck step(String what, String... keyValues) {
        ObjectNode s = steps.addObject().put("do", what);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            s.put(keyValues[i], keyValues[i + 1]);
        }
        return this;
    }

    BrowserCheck expand(int row) {
        steps.addObject().put("do", "expand").put("row", row);
        return this;
    }

    /** Opens the report and returns the harness's answer: steps[i] per step, plus consoleErrors, requests, dialogs, renderMs. */
    JsonNode run(Path report, Path work) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new AssertionError(CHROMIUM + " is missing: run scripts/deps/browser.sh (installs Debian's chromium and the npm packages)");
        }
        if (!Files.isDirectory(HARNESS.resolve("node_modules/playwright-core"))) {
            throw new AssertionError("src/test/browser/node_modules is missing: run scripts/deps/browser.sh");
        }
        Path stepsFile = Files.createTempFile(work, "steps", ".json");
        JSON.writeValue(stepsFile.toFile(), plan);
        Path stdout = Files.createTempFile(work, "browser", ".out");
        Path stderr = Files.createTempFile(work, "browser", ".err");
        Process p;
        try {
            p = new ProcessBuilder("node", HARNESS.resolve("check.mjs").toString(), report.toString(), stepsFile.toString())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (" + e.getMessage() + "): run scripts/deps/browser.sh", e);
        }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the browser check did not finish in 180 s");
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("the browser check failed (status " + p.exitValue() + "): " + err);
        }
        return JSON.readTree(Files.readString(stdout, StandardCharsets.UTF_8));
    }
}
