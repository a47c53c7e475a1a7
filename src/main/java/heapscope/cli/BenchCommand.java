package heapscope.cli;

import heapscope.bench.CallGraphBench;
import heapscope.bench.ChildJvm;
import heapscope.bench.CoreDumpBench;
import heapscope.bench.ElfStacks;
import heapscope.bench.LogBench;
import heapscope.bench.CaptureBench;
import heapscope.bench.MonitorBench;
import heapscope.bench.MonitorCostBench;
import heapscope.bench.StacksBench;
import heapscope.bench.SysviewBench;
import heapscope.elf.ElfFile;
import heapscope.sim.DistinctStacks;
import heapscope.sim.SyntheticLog;
import heapscope.sim.SyntheticTrace;
import heapscope.source.InputException;
import heapscope.source.InputFiles;
import heapscope.symbols.Symbolizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures decoding and leak analysis on generated captures against a baseline in the same run.",
                "See docs/PERFORMANCE.md."},
        subcommands = {BenchCommand.Sysview.class, BenchCommand.Log.class, BenchCommand.Monitor.class, BenchCommand.Capture.class, BenchCommand.Stacks.class,
                BenchCommand.CoreDump.class, BenchCommand.Callgraph.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "callgraph", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Time to build a firmware ELF's call graph from its DWARF call-site entries, and to answer the "
                    + "first question about a function's callers, on a fresh symbolizer each round.",
            footer = {"", "Exit status: 0 measured, 2 bad arguments."})
    static final class Callgraph implements Callable<Integer> {
        @Parameters(paramLabel = "ELF", description = "the firmware ELF")
        Path elf;

        @Option(names = "--rounds", defaultValue = "5", paramLabel = "N", description = "repetitions, best kept (default 5)")
        int rounds;

        @Override
        public Integer call() throws Exception {
            CallGraphBench.Result r = CallGraphBench.run(InputFiles.readable(elf), Math.max(1, rounds));
            System.out.printf(Locale.ROOT, "%s: %,d bytes, %,d call-site entries, %,d sites in %,d functions%n", elf, r.elfBytes(), r.entries(),
                    r.sites(), r.functions());
            System.out.printf(Locale.ROOT, "call graph %.1f ms, first caller answer %.1f ms (best of %d)%n", r.graphMs(), r.firstAnswerMs(), Math.max(1, rounds));
            return 0;
        }
    }

    @Command(name = "coredump", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Decoding a core dump with its ELF as 'coredump' does (decode, unwind every task, symbolize, print), "
                    + "cold and warm, next to a plain read of the same files.",
            footer = {"", "Exit status: 0 measured, 2 bad arguments."})
    static final class CoreDump implements Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "DUMP", description = "the core dump (any form 'coredump' reads)")
        Path dump;

        @Option(names = "--elf", required = true, paramLabel = "FILE", description = "its application ELF")
        Path elf;

        @Option(names = "--rounds", defaultValue = "20", paramLabel = "N", description = "repetitions, best kept (default 20)")
        int rounds;

        @Override
        public Integer call() throws Exception {
            InputFiles.readable(dump);
            InputFiles.readable(elf);
            CoreDumpBench.Result r = new CoreDumpBench(dump, elf).run(Math.max(1, rounds));
            System.out.printf(Locale.ROOT, "plain read: %.2f ms (dump and ELF)%n", r.readMs());
            System.out.printf(Locale.ROOT, "coredump:   first %.1f ms (cold), best %.1f ms of %d rounds; %d frames, %d characters printed%n",
                    r.firstMs(), r.bestMs(), Math.max(1, rounds), r.frames(), r.outputChars());
            return 0;
        }
    }

    @Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"heapscope capture's live path on a socat pty pair: a raw SystemView stream of heap events in "
                    + "64-byte USB packets, paced at --baud and at the pty's full rate, decoded and analysed live; per event "
                    + "the time from its last byte written to the analysis taking it, next to a plain read of the same pty "
                    + "(needs socat)."},
            footer = {"", "Exit status: 0 measured, 2 bad arguments or socat missing."})
    static final class Capture implements Callable<Integer> {
        @Option(names = "--baud", defaultValue = "1000000", paramLabel = "N", description = "paced rate (default 1000000, apptrace UART's default)")
        int baud;

        @Option(names = "--events", defaultValue = "40000", paramLabel = "N", description = "heap events in the stream (default 40000)")
        int events;

        @Override
        public Integer call() throws Exception {
            if (baud < 50 || events < 2 || events > 4_000_000) {
                throw new InputException("--baud must be 50 or more and --events 2..4000000");
            }
            Path dir = Files.createTempDirectory("heapscope-bench-");
            for (int rate : new int[] {baud, 0}) {
                CaptureBench bench = new CaptureBench(dir, rate, events);
                CaptureBench.Result r = bench.run();
                System.out.printf(Locale.ROOT, "stream:    %,d heap events (%d callers each), %,d bytes, %s%n", events, 8, bench.streamBytes(),
                        rate > 0 ? "paced at " + rate + " baud" : "at the pty's full rate");
                line("plain pty:", r.floor());
                line("capture:  ", r.capture());
            }
            return 0;
        }

        private static void line(String name, CaptureBench.Pass p) {
            double[] l = p.latencyMs();
            System.out.printf(Locale.ROOT, "%s %,d of %,d bytes, %,d of %,d events, %.0f KB/s, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    name, p.received(), p.bytes(), p.arrived(), p.events(), p.bytesPerSecond() / 1e3,
                    l.length == 0 ? 0 : MonitorBench.Result.percentile(l, 0.5), l.length == 0 ? 0 : MonitorBench.Result.percentile(l, 0.99),
                    l.length == 0 ? 0 : l[l.length - 1]);
        }
    }

    @Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Line latency of 'monitor' on a socat pty pair at a serial baud rate, every other line a backtrace "
                    + "decoded from the example firmware's ELF, next to a plain read of the same pty (needs socat).",
                    "With --records: time and peak memory of 'monitor FILE --status 0' against 'analyze FILE' on one generated "
                    + "heap_trace_dump of N records with distinct call stacks, each in a fresh JVM, alternating."},
            footer = {"", "Exit status: 0 measured, 2 bad arguments or socat missing."})
    static final class Monitor implements Callable<Integer> {
        @Option(names = "--baud", defaultValue = "921600", paramLabel = "N", description = "baud rate the lines are paced at (default 921600)")
        int baud;

        @Option(names = "--lines", defaultValue = "4000", paramLabel = "N", description = "lines to send (default 4000)")
        int lines;

        @Option(names = "--elf", paramLabel = "FILE", description = "ELF to decode with (default: the connection example's)")
        Path elf;

        @Option(names = "--callsites", paramLabel = "FILE",
                description = "return addresses of that ELF, for the backtraces (default: the connection example's)")
        Path callsites;

        @Option(names = "--records", paramLabel = "N", description = "measure the monitor's cost against analyze on a dump of N records instead")
        Integer records;

        @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "with --records: runs of each command (default 3)")
        int rounds;

        @Override
        public Integer call() throws Exception {
            if (records != null) {
                return cost();
            }
            if (elf == null) {
                elf = Common.shipped("examples/connection/app.elf");
            }
            if (callsites == null) {
                callsites = Common.shipped("examples/connection/callsites.txt");
            }
            long[] callers = InputFiles.lines(callsites).stream().limit(8).mapToLong(l -> Long.decode(l.split(" ")[2]) - 2).toArray();
            Path dir = Files.createTempDirectory("heapscope-bench-");
            MonitorBench.Result r = new MonitorBench(dir, elf, baud, lines, callers).run();
            double[] m = r.monitorMs();
            double[] f = r.floorMs();
            System.out.printf(Locale.ROOT, "lines:     %d at %d baud, every other one a %d-frame backtrace decoded from %s%n", r.lines(), baud,
                    callers.length, elf.getFileName());
            System.out.printf(Locale.ROOT, "plain pty: %d lines, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", f.length,
                    MonitorBench.Result.percentile(f, 0.5), MonitorBench.Result.percentile(f, 0.99), f[f.length - 1]);
            System.out.printf(Locale.ROOT, "monitor:   %d lines, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", m.length,
                    MonitorBench.Result.percentile(m, 0.5), MonitorBench.Result.percentile(m, 0.99), m[m.length - 1]);
            return 0;
        }

        private int cost() throws Exception {
            if (records < 1 || records > 50_000_000 || rounds < 1) {
                throw new InputException("--records must be 1..50000000 and --rounds 1 or more");
            }
            Path dir = Files.createTempDirectory("heapscope-bench-");
            try {
                MonitorCostBench.Result r = new MonitorCostBench(dir, records, rounds).run();
                System.out.printf(Locale.ROOT, "dump:      %,d records with distinct call stacks, %.1f MB%n", records, r.fileBytes() / 1e6);
                boolean match = true;
                for (int i = 0; i < r.analyze().size(); i++) {
                    MonitorCostBench.Run a = r.analyze().get(i);
                    MonitorCostBench.Run m = r.monitor().get(i);
                    System.out.printf(Locale.ROOT, "round %d:   analyze %.2f s %s, monitor %.2f s %s%n", i + 1, a.seconds(), mib(a.peakKb()),
                            m.seconds(), mib(m.peakKb()));
                    match &= a.leakedBlocks() == records && m.leakedBlocks() == records;
                }
                double at = MonitorCostBench.Result.median(r.analyze(), MonitorCostBench.Run::seconds);
                double mt = MonitorCostBench.Result.median(r.monitor(), MonitorCostBench.Run::seconds);
                double ar = MonitorCostBench.Result.median(r.analyze(), MonitorCostBench.Run::peakKb);
                double mr = MonitorCostBench.Result.median(r.monitor(), MonitorCostBench.Run::peakKb);
                System.out.printf(Locale.ROOT, "median:    analyze %.2f s %s, monitor %.2f s %s%n", at, mib((long) ar), mt, mib((long) mr));
                System.out.printf(Locale.ROOT, "monitor / analyze: time %.2fx, peak RSS %s%n", mt / at, ar > 0 ? String.format(Locale.ROOT, "%.2fx", mr / ar) : "n/a");
                System.out.printf(Locale.ROOT, "leaks:     %s (ground truth %d blocks in both reports)%n", match ? "match" : "MISMATCH", records);
                return match ? 0 : 1;
            } finally {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }

        private static String mib(long kb) {
            return kb < 0 ? "(peak RSS n/a)" : String.format(Locale.ROOT, "(peak RSS %.0f MiB)", kb / 1024.0);
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Serial-log decoding of a generated log full of heap_trace_dump output (v5.1 format, as idf.py "
                    + "monitor saves it, or --plain), next to grep -c of a fixed string over the same file.",
            footer = {"", "Exit status: 0 measured and the leak set matched the ground truth, 1 mismatch, 2 bad arguments."})
    static final class Log implements Callable<Integer> {
        @Option(names = "--mb", defaultValue = "200", paramLabel = "N", description = "approximate log size in MB (default 200)")
        int mb;

        @Option(names = "--rounds", defaultValue = "5", paramLabel = "N", description = "repetitions per phase, best kept (default 5)")
        int rounds;

        @Option(names = "--plain", description = "only the dumps as the device prints them: no idf.py monitor decoding, colours, "
                + "prefixes or other output")
        boolean plain;

        @Option(names = "--dumps", paramLabel = "N", description = "instead of --mb: a log of N dumps of about --records records "
                + "each (a firmware holding that many blocks, listed again by every dump)")
        Integer dumps;

        @Option(names = "--records", defaultValue = "64000", paramLabel = "N", description = "records per dump with --dumps (default 64000)")
        int records;

        @Option(names = "--file", paramLabel = "LOG", description = "measure this log instead of a generated one (no ground truth)")
        Path file;

        @Option(names = "--keep", paramLabel = "LOG", description = "write the generated log to LOG and keep it (LOG must not exist)")
        Path keep;

        @Override
        public Integer call() throws Exception {
            if (file != null) {
                LogBench.Result r = new LogBench(file, Math.max(1, rounds), "bytes (@ ").run();
                double size = r.bytes() / 1e6;
                System.out.printf(Locale.ROOT, "log:       %.1f MB, %,d lines with \"bytes (@ \"%n", size, r.grepCount());
                System.out.printf(Locale.ROOT, "grep -c:   %.3f s  (%.0f MB/s)%n", r.grepSeconds(), size / r.grepSeconds());
                System.out.printf(Locale.ROOT, "decode:    %.3f s  (%.0f MB/s, %.1fx grep)%n", r.decodeSeconds(), size / r.decodeSeconds(),
                        r.decodeSeconds() / r.grepSeconds());
                System.out.printf(Locale.ROOT, "analyze:   %.3f s  (%.0f MB/s, %.1fx grep)%n", r.analyzeSeconds(), size / r.analyzeSeconds(),
                        r.analyzeSeconds() / r.grepSeconds());
                System.out.printf(Locale.ROOT, "leaks:     %d bytes in %d blocks%n", r.report().leakedBytes(), r.report().leakedBlocks());
                return 0;
            }
            if (mb < 1 || mb > 100_000) {
                throw new InputException("--mb must be 1..100000");
            }
            if (dumps != null && (dumps < 1 || dumps > 10_000 || records < 1 || records > 10_000_000)) {
                throw new InputException("--dumps must be 1..10000 and --records 1..10000000");
            }
            if (keep != null && Files.exists(keep)) {
                throw new InputException(keep + ": exists; --keep writes a new file and replaces none");
            }
            Path log = keep != null ? Files.createFile(keep) : Files.createTempFile("heapscope-bench-", ".log");
            try {
                SyntheticLog.Spec spec;
                if (dumps != null) {
                    // the held blocks make up the records but for the few each step leaves (a third of the steps leak)
                    int steps = 200;
                    spec = new SyntheticLog.Spec(SyntheticLog.Generation.V5_1, 5, false, dumps, steps, !plain, 1,
                            Math.max(0, records - dumps * steps / 6));
                } else {
                    // dump sizes grow with the leaked records, so the log grows with the square of the dump count
                    // (plain logs have 2.5 times fewer bytes per record: 1.57 times the dumps for the same size)
                    int n = Math.max(4, (int) Math.ceil(145 * Math.sqrt(mb / 284.0) * 1.16 * (plain ? 1.573 : 1)));
                    spec = new SyntheticLog.Spec(SyntheticLog.Generation.V5_1, 5, false, n, 200, !plain, 1);
                }
                SyntheticLog.Truth truth;
                try (Writer w = Files.newBufferedWriter(log)) {
                    truth = SyntheticLog.write(spec, w);
                }
                try (FileChannel c = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    c.force(true); // the kernel writing the fresh file back must not run during the timings
                }
                System.out.printf(Locale.ROOT, "generated: %d dumps, %,d records%n", spec.dumps(),
                        truth.dumps().stream().mapToLong(List::size).sum());
                // Timed in a fresh JVM, as `analyze` runs: after writing the log, this one's JIT has profiled the code
                // decoding shares with the generator for the generator, and decodes 25-30 % slower.
                Process p = new ProcessBuilder(ChildJvm.command(List.of(), Main.class.getName(), List.of("bench", "log",
                        "--file", log.toString(), "--rounds", Integer.toString(rounds)))).redirectErrorStream(true).start();
                long truthBytes = truth.leaked().stream().mapToLong(SyntheticLog.Block::size).sum();
                boolean match = false;
                for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("leaks:")) {
                        String[] figures = line.replaceAll("\\D+", " ").trim().split(" ");
                        match = Long.parseLong(figures[0]) == truthBytes && Long.parseLong(figures[1]) == truth.leaked().size();
                        System.out.printf(Locale.ROOT, "%s (ground truth %d bytes in %d): %s%n", line, truthBytes, truth.leaked().size(),
                                match ? "match" : "MISMATCH");
                    } else {
                        System.out.println(line);
                    }
                }
                return p.waitFor() == 0 && match ? 0 : 1;
            } finally {
                if (keep == null) {
                    Files.deleteIfExists(log);
                }
            }
        }
    }

    @Command(name = "sysview", mixinStandardHelpOptions = true, sortOptions = false,
            description = "SystemView decoding and leak analysis on a synthetic two-core trace, next to a plain "
                    + "sequential read of the same files in the same run.",
            footer = {"", "Exit status: 0 measured (and the leak set matched the ground truth), 1 mismatch, 2 bad arguments."})
    static final class Sysview implements Callable<Integer> {
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
                System.out.printf(Locale.ROOT, "all:       %.3f s  (leaks, cycles, growth, trends: %.2fx decode, +%.0f %%)%n", r.allSeconds(),
                        r.allSeconds() / r.decodeSeconds(), 100 * (r.allSeconds() / r.decodeSeconds() - 1));
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

    @Command(name = "stacks", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Peak memory (RSS) and time of 'analyze' on a generated one-core trace in which every allocation has a "
                    + "call stack of its own, run in a fresh JVM as a user runs it (--heap sets its -Xmx), and its totals "
                    + "against the ground truth: beyond the stack table's cap they must stay exact. With --baseline, another "
                    + "build's jar runs on the same trace in every round, alternating, for ratios measured in the same run.",
            footer = {"", "Exit status: 0 measured and the totals matched in every round, 1 mismatch or analyze failed, 2 bad arguments."})
    static final class Stacks implements Callable<Integer> {
        @Option(names = "--stacks", defaultValue = "2000000", paramLabel = "N", description = "distinct call stacks (default 2000000)")
        int stacks;

        @Option(names = "--depth", defaultValue = "10", paramLabel = "N", description = "frames per stack (default 10)")
        int depth;

        @Option(names = "--leak-every", defaultValue = "2", paramLabel = "N", description = "every N-th block is leaked, the others freed (default 2)")
        int leakEvery;

        @Option(names = "--heap", paramLabel = "SIZE", description = "the child JVM's -Xmx (e.g. 1g; default: the JVM's default)")
        String heap;

        @Option(names = "--rounds", defaultValue = "1", paramLabel = "N", description = "runs of each build, medians kept (default 1)")
        int rounds;

        @Option(names = "--baseline", paramLabel = "JAR", description = "a heapscope jar of another build (e.g. the commit before) to "
                + "run beside this one")
        Path baseline;

        @Option(names = "--elf", paramLabel = "ELF", description = "draw the stacks from this ELF's call sites and analyze with it,"
                + " with completion from its call graph and with --no-complete in every round, alternating: the cost of completion")
        Path elf;

        /** The child's part: analyze TRACE in this JVM and print its peak RSS. Hidden, so it has no help text. */
        @Option(names = "--file", paramLabel = "TRACE", hidden = true, description = "")
        Path file;

        /** The child's part: analyze with --no-complete. Hidden. */
        @Option(names = "--no-complete", hidden = true, description = "")
        boolean noComplete;

        @Override
        public Integer call() throws Exception {
            if (file != null) {
                List<String> args = new ArrayList<>(List.of("analyze", file.toString(), "--color", "never", "--top", "3"));
                if (elf != null) {
                    args.addAll(List.of("--elf", elf.toString()));
                }
                if (noComplete) {
                    args.add("--no-complete");
                }
                int status = Main.run(args.toArray(String[]::new));
                StacksBench.printPeakRss();
                return status;
            }
            DistinctStacks.Spec spec;
            try {
                spec = new DistinctStacks.Spec(stacks, depth, leakEvery);
            } catch (IllegalArgumentException e) {
                throw new InputException("--stacks, --depth, --leak-every: " + e.getMessage());
            }
            if (heap != null && !heap.matches("\\d+[kKmMgG]?")) {
                throw new InputException("--heap: '" + heap + "' is not a JVM heap size (e.g. 1g, 512m)");
            }
            if (rounds < 1) {
                throw new InputException("--rounds must be 1 or more");
            }
            if (baseline != null && elf != null) {
                throw new InputException("--baseline and --elf: one comparison at a time");
            }
            String base = baseline == null ? null : InputFiles.readable(baseline).toString();
            String elfFile = elf == null ? null : InputFiles.readable(elf).toString();
            DistinctStacks.Frames frames = DistinctStacks.SYNTHETIC;
            String chip = "esp32c3";
            if (elfFile != null) {
                Symbolizer symbolizer = Symbolizer.open(elf);
                try {
                    ElfStacks drawn = ElfStacks.of(symbolizer, stacks, depth);
                    System.out.printf(Locale.ROOT, "elf:       %s, %,d call sites, %,d caller pairs completion starts from%n", elfFile,
                            symbolizer.callGraph().siteCount(), drawn.pairs());
                    frames = drawn;
                } catch (IllegalArgumentException e) {
                    throw new InputException(elfFile + ": " + e.getMessage());
                }
                chip = symbolizer.elf().machine() == ElfFile.EM_XTENSA ? "esp32" : "esp32c3"; // the ELF check's architecture
            }
            Path trace = Files.createTempFile("heapscope-bench-", ".svdat");
            try {
                DistinctStacks.Truth truth = DistinctStacks.write(spec, chip, frames, trace);
                System.out.printf(Locale.ROOT, "trace:     %,d heap events, %,d distinct stacks of %d frames, %.1f MB%n", truth.heapEvents(),
                        truth.distinctStacks(), depth, Files.size(trace) / 1e6);
                List<String> jvm = heap == null ? List.of() : List.of("-Xmx" + heap);
                List<String> args = new ArrayList<>(List.of("bench", "stacks", "--file", trace.toString()));
                if (elfFile != null) {
                    args.addAll(List.of("--elf", elfFile));
                }
                // the run compared with: another build's jar on the same trace, or this one without completion
                boolean compared = base != null || elfFile != null;
                String versus = elfFile != null ? "--no-complete" : "baseline";
                String versusClassPath = base != null ? base : System.getProperty("java.class.path");
                List<String> versusArgs = new ArrayList<>(args);
                if (elfFile != null) {
                    versusArgs.add("--no-complete");
                }
                List<StacksBench.Result> current = new ArrayList<>();
                List<StacksBench.Result> before = new ArrayList<>();
                boolean matched = true;
                for (int round = 1; round <= rounds; round++) {
                    for (int k = 0; k < (compared ? 2 : 1); k++) {
                        boolean isBase = compared && (k + round) % 2 == 0; // alternate which goes first
                        StacksBench.Result r = isBase ? StacksBench.run(versusClassPath, Main.class.getName(), jvm, versusArgs)
                                : StacksBench.run(System.getProperty("java.class.path"), Main.class.getName(), jvm, args);
                        boolean match = matches(r, truth);
                        matched &= (isBase && base != null) || match; // another build may fail where this one must not
                        (isBase ? before : current).add(r);
                        r.output().stream().filter(l -> l.startsWith("heapscope:") || l.contains("stack table")
                                || l.contains("call stacks extended")).forEach(System.out::println);
                        long[] found = r.leaks().orElse(new long[] {-1, -1});
                        System.out.printf(Locale.ROOT, "%-13s  exit %d in %.1f s, heap %s, peak RSS %s; leaks %d bytes in %d blocks (ground truth %d in %d): %s%n",
                                isBase ? versus : "analyze", r.status(), r.seconds(), heap == null ? "JVM default" : "-Xmx" + heap, mib(r.peakRssBytes()),
                                found[0], found[1], truth.leakedBytes(), truth.leakedBlocks(), match ? "match" : "MISMATCH");
                    }
                }
                double t = ChildJvm.median(current, StacksBench.Result::seconds);
                double m = ChildJvm.median(current, StacksBench.Result::peakRssBytes);
                System.out.printf(Locale.ROOT, "median:    analyze %.1f s, %s", t, mib((long) m));
                if (!before.isEmpty()) {
                    boolean ran = before.stream().allMatch(r -> matches(r, truth));
                    double bt = ChildJvm.median(before, StacksBench.Result::seconds);
                    double bm = ChildJvm.median(before, StacksBench.Result::peakRssBytes);
                    System.out.printf(Locale.ROOT, "; %s %.1f s, %s%s; %s %.2fx time, %.2fx peak RSS", versus, bt, mib((long) bm),
                            ran ? "" : " (it failed)", elfFile != null ? "completion / --no-complete" : "after / before", t / bt, m / bm);
                }
                System.out.printf(Locale.ROOT, " (%d round%s)%n", rounds, rounds == 1 ? "" : "s");
                return matched ? 0 : 1;
            } finally {
                Files.deleteIfExists(trace);
            }
        }

        private static boolean matches(StacksBench.Result r, DistinctStacks.Truth truth) {
            long[] found = r.leaks().orElse(new long[] {-1, -1});
            return r.status() == 0 && found[0] == truth.leakedBytes() && found[1] == truth.leakedBlocks();
        }

        private static String mib(long bytes) {
            return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
        }
    }
}
