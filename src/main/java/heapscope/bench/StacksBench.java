package heapscope.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a whole {@code analyze} run on a capture of many distinct call stacks, measured in a fresh JVM (as a
 * user runs it, optionally with a given -Xmx): its peak resident set as the kernel counts it, and the report's
 * totals, which must match the ground truth whether or not the stack table filled up.
 */
public final class StacksBench {
    /** The child's exit status, its peak RSS (-1 where the platform does not say), and what it printed. */
    public record Result(int status, long peakRssBytes, double seconds, List<String> output) {
        /** The leaked bytes and blocks of the report's headline, or empty if it has none. */
        public Optional<long[]> leaks() {
            Pattern found = Pattern.compile("Found (\\d+) leaked bytes in (\\d+) blocks?\\.");
            for (String line : output) {
                Matcher m = found.matcher(line);
                if (m.find()) {
                    return Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                }
            }
            return Optional.empty();
        }
    }

    private StacksBench() {
    }

    /**
     * Runs {@code mainClass analyzeArgs...} from {@code classPath} in a new JVM with {@code jvmOptions}; the child
     * prints its own peak RSS last ({@link #printPeakRss}), since a parent cannot read it after the child exits.
     */
    public static Result run(String classPath, String mainClass, List<String> jvmOptions, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(classPath, jvmOptions, mainClass, args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        int status = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long rss = -1;
        List<String> rest = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(RSS_LINE)) {
                rss = Long.parseLong(line.substring(RSS_LINE.length()).trim());
            } else {
                rest.add(line);
            }
        }
        return new Result(status, rss, seconds, rest);
    }

    private static final String RSS_LINE = "heapscope-bench-peak-rss-bytes:";

    /** This process's peak resident set so far (Linux: VmHWM), -1 where unknown. */
    public static long peakRssBytes() {
        long kb = ChildJvm.highWaterKb(Path.of("/proc/self/status"));
        return kb < 0 ? -1 : kb * 1024;
    }

    /** The line {@link #run} reads the child's peak RSS from. */
    public static void printPeakRss() {
        System.err.println(RSS_LINE + " " + peakRssBytes()); // analyze closed standard output
    }
}
