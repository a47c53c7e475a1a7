package heapscope.cli;

import heapscope.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every renderer and exporter on the shipped examples and the corpus, byte for byte against a committed file in
 * src/test/resources/golden: a change in any report fails here with the renderer's name and the first line that
 * differs. After an intended change, {@code ./build test -Dtest=GoldenOutputTest -Dgolden.update=true} rewrites
 * the files; the diff of src/test/resources/golden is then part of the change's review.
 */
class GoldenOutputTest {
    private static final Path GOLDEN = Fixtures.resource("golden");
    private static final String CPU0 = Fixtures.example("connection/cpu0.svdat").toString();
    private static final String CPU1 = Fixtures.example("connection/cpu1.svdat").toString();
    private static final String FIXED0 = Fixtures.example("connection/fixed/cpu0.svdat").toString();
    private static final String FIXED1 = Fixtures.example("connection/fixed/cpu1.svdat").toString();
    private static final String ELF = Fixtures.example("connection/app.elf").toString();
    private static final String IDF0 = Fixtures.example("esp-idf-sysview/heap_log0.svdat").toString();
    private static final String IDF1 = Fixtures.example("esp-idf-sysview/heap_log1.svdat").toString();
    private static final String DUMP_LOG = Fixtures.corpus("serial-logs/pr-jomjol-AI-on-the-edge-device-1861-heap_trace_dump.txt").toString();
    private static final String CORRUPT_LOG = Fixtures.corpus("serial-logs/issue-espressif-esp-idf-1582-corrupt_heap_bad_tail_abort.txt").toString();
    private static final String INFO_LOG = Fixtures.corpus("serial-logs/issue-RomanLut-hx-esp32-cam-fpv-46-heap_caps_print_heap_info.txt").toString();

    @TempDir
    Path dir;

    /**
     * Golden file name (its extension says the format) and the command line that writes it; OUT marks the file it
     * writes, else its standard output is compared.
     */
    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        String[] connection = {CPU0, CPU1, "--elf", ELF, "--map", Fixtures.example("connection/app.map").toString(), "--cycle", "New connection"};
        for (String format : List.of("text", "json", "html")) {
            String ext = format.equals("text") ? "txt" : format;
            cases.add(Arguments.of("analyze-connection." + ext, join("analyze", connection, "--format", format, "--color", "never", "-o", "OUT")));
            cases.add(Arguments.of("analyze-esp-idf-sysview." + ext, new String[] {"analyze", IDF0, IDF1, "--format", format, "-o", "OUT"}));
            cases.add(Arguments.of("analyze-dump-log." + ext, new String[] {"analyze", DUMP_LOG, "--format", format, "-o", "OUT"}));
            cases.add(Arguments.of("analyze-corrupt-log." + ext, new String[] {"analyze", CORRUPT_LOG, "--format", format, "-o", "OUT"}));
            cases.add(Arguments.of("analyze-heap-info-log." + ext, new String[] {"analyze", INFO_LOG, "--format", format, "-o", "OUT"}));
            cases.add(Arguments.of("diff-connection-esp-idf." + ext,
                    new String[] {"diff", CPU0 + "," + CPU1, IDF0 + "," + IDF1, "--format", format, "-o", "OUT"}));
            cases.add(Arguments.of("diff-connection-fixed." + ext, new String[] {"diff", CPU0 + "," + CPU1, FIXED0 + "," + FIXED1,
                    "--elf", ELF, "--cycle", "New connection", "--format", format, "-o", "OUT"}));
        }
        cases.add(Arguments.of("analyze-connection-blocks.txt", join("analyze", connection, "--blocks", "--top", "3", "--color", "never", "-o", "OUT")));
        cases.add(Arguments.of("analyze-connection.junit.xml", join("analyze", connection, "--max-leaked-bytes", "64k",
                "--max-leak-per-cycle", "0", "--max-site-bytes", "1M", "--color", "never", "-o", "/dev/null", "--junit", "OUT")));
        for (String format : List.of("sarif", "github", "gcc")) { // the CI and editor formats, with a failed budget and --source-root
            String ext = format.equals("sarif") ? "sarif" : format + ".txt";
            cases.add(Arguments.of("analyze-connection." + ext, join("analyze", connection, "--max-leak-per-cycle", "0",
                    "--source-root", "/project", "--format", format, "-o", "OUT")));
            cases.add(Arguments.of("analyze-esp-idf-sysview." + ext, new String[] {"analyze", IDF0, IDF1, "--format", format, "-o", "OUT"}));
            cases.add(Arguments.of("analyze-dump-log." + ext, new String[] {"analyze", DUMP_LOG, "--format", format, "-o", "OUT"}));
        }
        for (String format : List.of("pprof", "folded", "speedscope", "chrome")) {
            String ext = switch (format) {
                case "pprof" -> "pb.gz";
                case "folded" -> "folded";
                default -> "json";
            };
            cases.add(Arguments.of("export-connection-" + format + "." + ext,
                    new String[] {"export", CPU0, CPU1, "--elf", ELF, "--cycle", "New connection", "--format", format, "-o", "OUT"}));
            cases.add(Arguments.of("export-esp-idf-sysview-" + format + "." + ext,
                    new String[] {"export", IDF0, IDF1, "--format", format, "-o", "OUT"}));
        }
        cases.add(Arguments.of("events-esp-idf-sysview.txt", new String[] {"events", IDF0, IDF1, "-o", "OUT"}));
        cases.add(Arguments.of("events-esp-idf-sysview.jsonl", new String[] {"events", IDF0, IDF1, "--format", "jsonl", "-o", "OUT"}));
        cases.add(Arguments.of("events-corrupt-log-all.txt", new String[] {"events", CORRUPT_LOG, "--all", "-o", "OUT"}));
        cases.add(Arguments.of("symbolize-connection.txt", new String[] {"symbolize", "--elf", ELF,
                "0x400001bc", "0x4000015c", "0x400000fa", "0x40000000", "0x3ffb0000"}));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputIsUnchanged(String golden, String[] args) throws IOException {
        Path out = dir.resolve(golden);
        String[] line = Arrays.stream(args).map(a -> a.equals("OUT") ? out.toString() : a).toArray(String[]::new);
        CliRun run = CliRun.of(line);
        assertThat(run.status()).as("%s: %s", String.join(" ", args), run.err()).isIn(0, AnalyzeCommand.BUDGET_EXCEEDED);
        byte[] actual = Arrays.asList(args).contains("OUT") ? Files.readAllBytes(out) : run.out().getBytes(StandardCharsets.UTF_8);
        if (golden.endsWith(".junit.xml")) { // when the checks ran: the one figure that differs from run to run
            actual = new String(actual, StandardCharsets.UTF_8).replaceFirst("timestamp=\"[^\"]*\"", "timestamp=\"2000-01-01T00:00:00\"")
                    .getBytes(StandardCharsets.UTF_8);
        }
        Path expected = GOLDEN.resolve(golden);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.write(expected, actual);
            return;
        }
        assertThat(expected).as("golden file (write it with -Dgolden.update=true)").exists();
        byte[] want = Files.readAllBytes(expected);
        if (!Arrays.equals(want, actual)) {
            fail(renderer(args) + " output changed: " + golden + ": " + firstDifference(want, actual));
        }
    }

    /** The renderer or exporter a command line exercises, for the failure message. */
    private static String renderer(String[] args) {
        List<String> a = Arrays.asList(args);
        if (a.contains("--junit")) {
            return "junit";
        }
        int f = a.indexOf("--format");
        return args[0] + " " + (f >= 0 ? args[f + 1] : "text");
    }

    private static String firstDifference(byte[] want, byte[] actual) {
        String[] w = new String(want, StandardCharsets.ISO_8859_1).split("\n", -1);
        String[] a = new String(actual, StandardCharsets.ISO_8859_1).split("\n", -1);
        for (int i = 0; i < Math.max(w.length, a.length); i++) {
            String wl = i < w.length ? w[i] : "<end>";
            String al = i < a.length ? a[i] : "<end>";
            if (!wl.equals(al)) {
                return "line " + (i + 1) + "\n  expected: " + abbreviate(wl) + "\n  actual:   " + abbreviate(al);
            }
        }
        return "same lines, other bytes";
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String[] join(String command, String[] common, String... more) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(Arrays.asList(common));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }
}
