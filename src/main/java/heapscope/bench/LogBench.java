package heapscope.bench;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.log.LogDecoder;
import heapscope.source.InputSpec;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures serial-log decoding (and decoding plus leak analysis) of one file against {@code grep -c} of a fixed
 * string over the same file, in the same run, best of N rounds each.
 */
public final class LogBench {
    public record Result(long bytes, double grepSeconds, long grepCount, double decodeSeconds, double analyzeSeconds, LeakReport report) {
    }

    private final Path file;
    private final int rounds;
    private final String needle;

    public LogBench(Path file, int rounds, String needle) {
        this.file = file;
        this.rounds = rounds;
        this.needle = needle;
    }

    public Result run() throws IOException, InterruptedException {
        long bytes = Files.size(file);
        double grep = Double.MAX_VALUE;
        long count = -1;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("grep", "-c", "-F", needle, file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            grep = Math.min(grep, (System.nanoTime() - t0) / 1e9);
            count = Long.parseLong(out);
        }
        double decode = Double.MAX_VALUE;
        double analyze = Double.MAX_VALUE;
        LeakReport report = null;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            try (EventReader r = open()) {
                long n = 0;
                for (Event e = r.next(); e != null; e = r.next()) {
                    n += e.core();
                }
                if (n == Long.MIN_VALUE) {
                    System.err.print("");
                }
            }
            decode = Math.min(decode, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            try (EventReader r = open()) {
                report = LeakAnalysis.run(r, null);
            }
            analyze = Math.min(analyze, (System.nanoTime() - t0) / 1e9);
        }
        return new Result(bytes, grep, count, decode, analyze, report);
    }

    private EventReader open() throws IOException {
        return new LogDecoder(new BufferedInputStream(new InputSpec.FileInput(file).open(), 1 << 16), file.toString(), new Recording(), false);
    }
}
