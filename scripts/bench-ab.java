// Compares two heapscope jars on the same input in one JVM, rounds interleaved (A B, B A, ...), so that load from
// other processes falls on both alike; prints each jar's median and best and the median of the per-round ratios, and
// for log and sysview the process's CPU time over a round (the work done, less noisy than the time it took).
//
//   java scripts/bench-ab.java log     ROUNDS OLD.jar NEW.jar LOG
//   java scripts/bench-ab.java sysview ROUNDS OLD.jar NEW.jar CPU0.svdat [CPU1.svdat]
//   java scripts/bench-ab.java log-analysis ROUNDS OLD.jar NEW.jar LOG
//
// log-analysis decodes the log once per jar into memory and times only the leak analysis over those events
// (LeakAnalysis.accept for each, then finish): the part of `analyze` after decoding, which the log bench's
// "analyze" figure measures together with the decoding it runs beside.
//
// Each jar is loaded in a class loader of its own and its bench.LogBench / bench.SysviewBench is run for one round
// at a time (their constructors and Result accessors have kept their shape since the first release that had them).
// Inputs: `heapscope simulate` or the bench commands' generators (bench log --keep LOG, bench sysview --dir DIR).

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public class BenchAb {
    public static void main(String[] args) throws Exception {
        if (args.length < 5 || !List.of("log", "sysview", "log-analysis").contains(args[0])) {
            System.err.println("usage: java scripts/bench-ab.java log|sysview|log-analysis ROUNDS OLD.jar NEW.jar INPUT...");
            System.exit(2);
        }
        if (args[0].equals("log-analysis")) {
            analysisOnly(Path.of(args[4]), Integer.parseInt(args[1]), args[2], args[3]);
            return;
        }
        boolean log = args[0].equals("log");
        int rounds = Integer.parseInt(args[1]);
        List<Path> inputs = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            inputs.add(Path.of(args[i]));
        }
        Object[] bench = new Object[2];
        for (int j = 0; j < 2; j++) {
            ClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[2 + j]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            bench[j] = log
                    ? loader.loadClass("heapscope.bench.LogBench").getConstructor(Path.class, int.class, String.class)
                            .newInstance(inputs.get(0), 1, "bytes (@ ")
                    : loader.loadClass("heapscope.bench.SysviewBench").getConstructor(List.class, int.class).newInstance(inputs, 1);
        }
        double[][] decode = new double[2][rounds];
        double[][] analyze = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < 2; k++) {
                int j = i % 2 == 0 ? k : 1 - k; // who goes first alternates
                long cpu0 = os.getProcessCpuTime();
                Object result = bench[j].getClass().getMethod("run").invoke(bench[j]);
                cpu[j][i] = (os.getProcessCpuTime() - cpu0) / 1e9;
                decode[j][i] = seconds(result, "decodeSeconds");
                analyze[j][i] = seconds(result, "analyzeSeconds");
            }
        }
        print("decode", decode);
        print("analyze", analyze);
        print("cpu", cpu); // of the process over a round of both phases: the work, whatever the other threads and processes do
    }

    /** Each jar's events of the log, decoded once; then the analysis alone over them, interleaved. */
    private static void analysisOnly(Path log, int rounds, String oldJar, String newJar) throws Exception {
        ClassLoader[] loaders = new ClassLoader[2];
        Object[][] events = new Object[2][];
        Object[] recordings = new Object[2];
        String[] jars = {oldJar, newJar};
        for (int j = 0; j < 2; j++) {
            loaders[j] = new URLClassLoader(new URL[] {Path.of(jars[j]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> recording = loaders[j].loadClass("heapscope.trace.Recording");
            recordings[j] = recording.getConstructor().newInstance();
            Class<?> decoder = loaders[j].loadClass("heapscope.log.LogDecoder");
            Object reader = decoder.getConstructor(InputStream.class, String.class, recording, boolean.class)
                    .newInstance(new BufferedInputStream(Files.newInputStream(log), 1 << 16), log.toString(), recordings[j], false);
            Method next = decoder.getMethod("next");
            List<Object> all = new ArrayList<>();
            for (Object e = next.invoke(reader); e != null; e = next.invoke(reader)) {
                all.add(e);
            }
            events[j] = all.toArray();
        }
        double[][] analysis = new double[2][rounds];
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < 2; k++) {
                int j = i % 2 == 0 ? k : 1 - k;
                Class<?> leaks = loaders[j].loadClass("heapscope.analysis.LeakAnalysis");
                Object a = leaks.getConstructor(loaders[j].loadClass("heapscope.chip.Chip")).newInstance((Object) null);
                Method accept = method(leaks, "accept");
                Method finish = method(leaks, "finish");
                long t0 = System.nanoTime();
                for (Object e : events[j]) {
                    accept.invoke(a, e);
                }
                finish.invoke(a, recordings[j]);
                analysis[j][i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        System.out.printf(Locale.ROOT, "%,d events decoded by each jar%n", events[0].length);
        print("analysis", analysis);
    }

    private static Method method(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) {
                return m;
            }
        }
        throw new IllegalStateException(type.getName() + " has no " + name + "(1 argument)");
    }

    private static double seconds(Object result, String accessor) throws Exception {
        Method m = result.getClass().getMethod(accessor);
        return (double) m.invoke(result);
    }

    private static void print(String phase, double[][] s) {
        int n = s[0].length;
        double[] ratio = new double[n];
        for (int i = 0; i < n; i++) {
            ratio[i] = s[1][i] / s[0][i];
        }
        System.out.printf(Locale.ROOT, "%-8s old %.3f s, new %.3f s (medians; best %.3f s, %.3f s); new/old %.3f (quartiles %.3f-%.3f)%n",
                phase + ":", median(s[0]), median(s[1]), sorted(s[0])[0], sorted(s[1])[0], median(ratio), sorted(ratio)[n / 4],
                sorted(ratio)[3 * n / 4]);
    }

    private static double median(double[] v) {
        return sorted(v)[v.length / 2];
    }

    private static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }
}
