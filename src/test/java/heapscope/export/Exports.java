package heapscope.export;

import heapscope.Fixtures;
import heapscope.analysis.CycleAnalysis;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.cli.CliRunAccess;
import heapscope.source.InputSpec;
import heapscope.sysview.SvDecoder;
import heapscope.trace.EventReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Runs {@code heapscope export} in-process and analyses captures the way the command does, for comparison. */
final class Exports {
    static final Path EXAMPLE = Fixtures.example("connection");
    static final String CYCLE = "New connection";
    /** What analyze reports for the example: the figures every export must reproduce. */
    static final long EXAMPLE_LEAKED_BYTES = 108_144;

    private Exports() {
    }

    static String[] exampleInputs() {
        return new String[] {EXAMPLE.resolve("cpu0.svdat").toString(), EXAMPLE.resolve("cpu1.svdat").toString()};
    }

    static String elf() {
        return EXAMPLE.resolve("app.elf").toString();
    }

    /** Writes the export to a file in {@code dir} and returns its bytes. */
    static byte[] export(Path dir, String format, String... args) throws IOException {
        Path out = dir.resolve("export." + format);
        List<String> argv = new ArrayList<>(List.of("export", "--format", format, "-o", out.toString()));
        argv.addAll(Arrays.asList(args));
        CliRunAccess.run(argv.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    static Path exportFile(Path dir, String format, String... args) throws IOException {
        export(dir, format, args);
        return dir.resolve("export." + format);
    }

    static LeakReport analyze(String cycle, String... files) throws IOException {
        LeakAnalysis analysis = new LeakAnalysis(null, cycle == null ? null : Pattern.compile(cycle), new CycleAnalysis.Options(0, 1, -1));
        List<InputSpec> specs = Arrays.stream(files).map(f -> (InputSpec) new InputSpec.FileInput(Path.of(f))).toList();
        try (EventReader r = new SvDecoder(false).open(specs)) {
            return analysis.read(r);
        }
    }
}
