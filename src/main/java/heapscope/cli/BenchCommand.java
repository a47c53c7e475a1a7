package heapscope.cli;

import heapscope.bench.SysviewBench;
import heapscope.sim.SyntheticTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        description = {"Measures SystemView decoding and leak analysis on a synthetic trace, next to a plain",
                "sequential read of the same files in the same run. See docs/PERFORMANCE.md."},
        footer = {"", "Exit status: 0 measured (and the leak set matched the ground truth), 1 mismatch, 2 bad arguments."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000", paramLabel = "N", description = "heap events in the generated trace (default 1000000)")
    long events;

    @Option(names = "--live", defaultValue = "2000", paramLabel = "N", description = "live set while running (default 2000)")
    int live;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N", description = "repetitions per phase, best kept (default 5)")
    int rounds;

    @Option(names = "--dir", paramLabel = "DIR", description = "where to write the trace (default: a temporary directory, removed after)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        boolean temporary = dir == null;
        Path where = temporary ? Files.createTempDirectory("heapscope-bench-") : dir;
        try {
            long t0 = System.nanoTime();
            SyntheticTrace.Truth truth = SyntheticTrace.write(new SyntheticTrace.Spec(events, live, 500, 1), where);
            System.err.printf(Locale.ROOT, "generated %,d heap events in %.1f s%n", truth.heapEvents(), (System.nanoTime() - t0) / 1e9);
            SysviewBench.Result r = new SysviewBench(SyntheticTrace.files(where), Math.max(1, rounds)).run();
            boolean match = r.report().leakedBlocks() == truth.leakedBlocks() && r.report().leakedBytes() == truth.leakedBytes()
                    && r.heapEvents() == truth.heapEvents();
            double mb = r.bytes() / 1e6;
            System.out.printf(Locale.ROOT, "trace:     %,d heap events, %.1f MB, live set %d blocks, %d planted leaks%n",
                    r.heapEvents(), mb, live, truth.leakedBlocks());
            System.out.printf(Locale.ROOT, "raw read:  %.3f s  (%.0f MB/s)%n", r.readSeconds(), mb / r.readSeconds());
            System.out.printf(Locale.ROOT, "decode:    %.3f s  (%.2f M heap events/s, %.1fx raw read)%n", r.decodeSeconds(),
                    r.heapEvents() / r.decodeSeconds() / 1e6, r.decodeSeconds() / r.readSeconds());
            System.out.printf(Locale.ROOT, "analyze:   %.3f s  (%.2f M heap events/s, %.1fx raw read, %.2fx decode)%n", r.analyzeSeconds(),
                    r.eventsPerSecond() / 1e6, r.analyzeSeconds() / r.readSeconds(), r.analyzeSeconds() / r.decodeSeconds());
            System.out.printf(Locale.ROOT, "retained:  %.1f MiB peak heap after GC during decode + analysis%n", r.peakRetainedBytes() / 1048576.0);
            System.out.printf(Locale.ROOT, "leaks:     %d bytes in %d blocks (ground truth %d in %d): %s%n", r.report().leakedBytes(),
                    r.report().leakedBlocks(), truth.leakedBytes(), truth.leakedBlocks(), match ? "match" : "MISMATCH");
            return match ? 0 : 1;
        } finally {
            if (temporary) {
                for (Path f : SyntheticTrace.files(where)) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(where);
            }
        }
    }
}
