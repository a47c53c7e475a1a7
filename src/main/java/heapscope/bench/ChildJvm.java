package heapscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A fresh JVM for a measurement, as a user's run starts one: the JIT has not profiled the code for the generator
 * that wrote the input, and memory is the run's own. Also its peak resident set, read from Linux's /proc.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The command line that runs {@code mainClass args...} with this JVM and class path, and {@code jvmOptions}. */
    public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        return command(System.getProperty("java.class.path"), jvmOptions, mainClass, args);
    }

    /** The same with another class path: a baseline build's jar, measured beside this one. */
    public static List<String> command(String classPath, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(args);
        return command;
    }

    /** Median of a figure over runs (of an even count, the mean of the middle two). */
    public static <T> double median(List<T> runs, ToDoubleFunction<T> figure) {
        double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The peak resident set (VmHWM) in KiB from a process's status file ({@code /proc/PID/status}, or
     * {@code /proc/self/status}); -1 once the process is gone or where there is no /proc.
     */
    public static long highWaterKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited between the poll and the read, or not Linux
        }
        return -1;
    }
}
