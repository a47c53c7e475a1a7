package heapscope.bench;

import heapscope.cli.Main;
import heapscope.sim.SyntheticLog;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the monitor costs against {@code analyze} on the same big capture: one {@code heap_trace_dump()} of N
 * records with distinct call stacks, given as a file to {@code monitor FILE --status 0} and to {@code analyze FILE},
 * each in a fresh JVM with the default flags, alternating, several rounds. Wall-clock time and peak resident
 * memory (the kernel's high-water mark, VmHWM, polled from /proc while the child runs) are taken per run, and the
 * leak headline of both reports is checked against the generator's count.
 */
public final class MonitorCostBench {
    /** One child run; {@code peakKb} is -1 where /proc is not there to read. */
    public record Run(double seconds, long peakKb, long leakedBlocks) {
    }

    public record Result(SyntheticLog.Dump dump, long fileBytes, List<Run> analyze, List<Run> monitor) {
        /** Median of a figure over runs. */
        public static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
            return ChildJvm.median(runs, figure);
        }
    }

    private static final Pattern HEADLINE = Pattern.compile("Found \\d+ leaked bytes in (\\d+) blocks");

    private final Path dir;
    private final int records;
    private final int rounds;

    public MonitorCostBench(Path dir, int records, int rounds) {
        this.dir = dir;
        this.records = records;
        this.rounds = rounds;
    }

    public Result run() throws IOException, InterruptedException {
        Path log = dir.resolve("dump.log");
        SyntheticLog.Dump dump;
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.US_ASCII)) {
            dump = SyntheticLog.distinctStacks(records, w);
        }
        List<Run> analyze = new ArrayList<>();
        List<Run> monitor = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            analyze.add(child("analyze", log.toString()));
            monitor.add(child("monitor", log.toString(), "--status", "0"));
        }
        return new Result(dump, Files.size(log), analyze, monitor);
    }

    private Run child(String... args) throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(List.of(), Main.class.getName(), Arrays.asList(args));
        Path out = dir.resolve(args[0] + ".out");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = -1;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, ChildJvm.highWaterKb(status));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", args) + " exited with status " + p.exitValue());
        }
        return new Run(seconds, peak, leakedBlocks(out));
    }

    /** The block count of the report's headline, read from the end of the output (the monitor prints the log first). */
    private static long leakedBlocks(Path out) throws IOException {
        long size = Files.size(out);
        try (FileChannel c = FileChannel.open(out)) {
            int tail = (int) Math.min(size, 1 << 20);
            ByteBuffer b = ByteBuffer.allocate(tail);
            c.read(b, size - tail);
            Matcher m = HEADLINE.matcher(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            long found = -1;
            while (m.find()) {
                found = Long.parseLong(m.group(1));
            }
            return found;
        }
    }
}
