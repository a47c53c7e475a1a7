package heapscope.bench;

import heapscope.analysis.CycleAnalysis;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.source.InputSpec;
import heapscope.sysview.SvDecoder;
import heapscope.trace.Event;
import heapscope.trace.EventReader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Measures SystemView decoding and leak analysis against a plain sequential read of the same files, in one run.
 * Each phase is repeated and the best time kept (the first rounds warm the JIT up). Memory is measured in a
 * separate pass that forces a collection every tenth of the capture and keeps the largest heap still in use:
 * the retained memory, which must follow the live set, not the event count.
 */
public final class SysviewBench {
    public record Result(long heapEvents, long bytes, double readSeconds, double decodeSeconds, double analyzeSeconds,
                         double allSeconds, long peakRetainedBytes, LeakReport report) {
        public double eventsPerSecond() {
            return heapEvents / analyzeSeconds;
        }
    }

    private final List<Path> files;
    private final int rounds;

    public SysviewBench(List<Path> files, int rounds) {
        this.files = files;
        this.rounds = rounds;
    }

    public Result run() throws IOException {
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        double read = best(this::rawRead);
        double decode = best(this::decodeOnly);
        long[] heapEvents = new long[1];
        LeakReport[] report = new LeakReport[1];
        double analyze = best(() -> {
            LeakReport r = analyzeOnce();
            report[0] = r;
            heapEvents[0] = r.counts().heapEvents();
            return r.counts().events();
        });
        double all = best(() -> {
            try (EventReader r = open()) {
                LeakAnalysis a = new LeakAnalysis(null, Pattern.compile("blocks live"),
                        new CycleAnalysis.Options(0, 1, -1));
                return a.read(r).cycles().cycles().size();
            }
        });
        return new Result(heapEvents[0], bytes, read, decode, analyze, all, retained(), report[0]);
    }

    private interface Phase {
        long run() throws IOException;
    }

    private double best(Phase phase) throws IOException {
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += phase.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        if (sink == 42) { // keeps the JIT from discarding the work
            System.err.print("");
        }
        return best;
    }

    /** The floor: read every byte of the files once, touching each. */
    private long rawRead() throws IOException {
        long sum = 0;
        byte[] buf = new byte[256 * 1024];
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    for (int i = 0; i < n; i++) {
                        sum += buf[i];
                    }
                }
            }
        }
        return sum;
    }

    private EventReader open() throws IOException {
        return new SvDecoder(false).open(files.stream().map(f -> (InputSpec) new InputSpec.FileInput(f)).toList());
    }

    private long decodeOnly() throws IOException {
        long n = 0;
        try (EventReader r = open()) {
            for (Event e = r.next(); e != null; e = r.next()) {
                n += e.core();
            }
        }
        return n;
    }

    private LeakReport analyzeOnce() throws IOException {
        try (EventReader r = open()) {
            return LeakAnalysis.run(r, null);
        }
    }

    /** Largest heap in use right after a full collection, sampled ten times through a decode + analysis pass. */
    private long retained() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long total = analyzeOnce().counts().events();
        long every = Math.max(1, total / 10);
        LongSupplier used = () -> {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        };
        long peak = 0;
        try (EventReader r = open()) {
            LeakAnalysis analysis = new LeakAnalysis(null);
            long n = 0;
            for (Event e = r.next(); e != null; e = r.next()) {
                analysis.accept(e);
                if (++n % every == 0) {
                    peak = Math.max(peak, used.getAsLong());
                }
            }
            analysis.finish(r.recording());
            peak = Math.max(peak, used.getAsLong());
        }
        return peak;
    }
}
