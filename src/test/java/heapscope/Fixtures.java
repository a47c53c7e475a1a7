package heapscope;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where every test finds its data, all resolved from the project root: committed test resources
 * ({@code src/test/resources}), their copies of the public corpus ({@code src/test/resources/corpus}, each with its
 * SOURCE.md), the shipped examples ({@code examples}) and build output ({@code target}). Tests never spell these
 * paths themselves, so they run from any working directory.
 */
public final class Fixtures {
    private static final Path ROOT = findRoot();

    private Fixtures() {
    }

    /**
     * The project root: relative ({@code ""}) when the tests run from it, as Maven runs them, so paths printed in
     * reports read as a user would type them; absolute otherwise.
     */
    public static Path root() {
        return ROOT;
    }

    /** A committed test resource: {@code resource("elf/xtensa-O2-dwarf4.elf")}. */
    public static Path resource(String name) {
        return existing(ROOT.resolve("src/test/resources").resolve(name));
    }

    /** A copy of the public corpus committed with the tests: {@code corpus("esp-idf-sysview/heap_log0.svdat")}. */
    public static Path corpus(String name) {
        return resource("corpus/" + name);
    }

    /** A shipped example: {@code example("connection/app.elf")}. */
    public static Path example(String name) {
        return existing(ROOT.resolve("examples").resolve(name));
    }

    /** A place under the build directory for what tests write to keep (screenshots); may not exist yet. */
    public static Path target(String name) {
        return ROOT.resolve("target").resolve(name);
    }

    /** Any other file of the project, such as {@code src/test/browser}. */
    public static Path project(String name) {
        return existing(ROOT.resolve(name));
    }

    /**
     * The example firmware's call sites (examples/connection/callsites.txt): "caller callee" -> the return
     * address of the first such call.
     */
    public static Map<String, Long> exampleCallSites() throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : Files.readAllLines(example("connection/callsites.txt"))) {
            String[] f = line.split(" ");
            out.putIfAbsent(f[0] + " " + f[1], Long.decode(f[2]));
        }
        return out;
    }

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("missing test fixture " + p.toAbsolutePath());
        }
        return p;
    }

    /** The nearest directory holding pom.xml and examples/, above the compiled tests or else the working directory. */
    private static Path findRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = rootAbove(classesDirectory());
        if (root == null) {
            root = rootAbove(cwd);
        }
        if (root == null) {
            throw new IllegalStateException("no project root (pom.xml and examples/) above " + classesDirectory() + " or " + cwd);
        }
        return cwd.startsWith(root) ? cwd.relativize(root) : root;
    }

    private static Path classesDirectory() {
        try {
            return Path.of(Fixtures.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static Path rootAbove(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("examples"))) {
                return p;
            }
        }
        return null;
    }
}
