package heapscope.cli;

import heapscope.sim.ConnectionScenario;
import heapscope.sim.SyntheticTrace;
import heapscope.source.InputException;
import heapscope.source.OutputFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Writes synthetic captures with their ground truth, for trying heapscope without hardware.",
                "SystemView traces (cpu0.svdat, cpu1.svdat) in ESP-IDF's exact encoding, or a serial log."},
        subcommands = {SimulateCommand.Churn.class, SimulateCommand.Connections.class})
final class SimulateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "churn", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Tasks on both cores allocate and free around a fixed live set while a few call sites leak."},
            footer = {"", "Exit status: 0 written, 2 bad arguments or unwritable directory."})
    static final class Churn implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "directory for cpu0.svdat and cpu1.svdat")
        Path output;

        @Option(names = "--events", defaultValue = "1000000", paramLabel = "N", description = "heap events to write (default 1000000)")
        long events;

        @Option(names = "--live", defaultValue = "2000", paramLabel = "N", description = "blocks kept live while running (default 2000)")
        int live;

        @Option(names = "--leaks", defaultValue = "500", paramLabel = "N", description = "blocks planted as leaks (default 500)")
        int leaks;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default 1)")
        long seed;

        @Override
        public Integer call() throws Exception {
            if (events < 0 || live < 1 || leaks < 0 || live > 1_000_000 || leaks > 1_000_000) {
                throw new InputException("--events must be >= 0, --live 1..1000000, --leaks 0..1000000");
            }
            SyntheticTrace.Truth truth = SyntheticTrace.write(new SyntheticTrace.Spec(events, live, leaks, seed), output);
            System.out.printf("wrote %s and %s%n", output.resolve("cpu0.svdat"), output.resolve("cpu1.svdat"));
            System.out.printf("ground truth: %d heap events (%d allocations, %d frees), %d leaked bytes in %d blocks%n",
                    truth.heapEvents(), truth.allocs(), truth.frees(), truth.leakedBytes(), truth.leakedBlocks());
            return 0;
        }
    }

    /** A file simulate writes into the -o directory. */
    private static OutputFiles.Target target(Path dir, String name) {
        return new OutputFiles.Target("-o", dir.resolve(name));
    }

    @Command(name = "connections", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"A firmware serving connections that each leak 8,628 bytes.",
                    "Each connection leaks 64 mutexes, 2 thread control blocks and three buffers, after a one-time "
                            + "initialisation, with request buffers on both cores; each starts with the log line "
                            + "'webrtc: New connection N' (analyze --cycle 'New connection')."},
            footer = {"", "Exit status: 0 written, 2 bad arguments, unreadable call-site file or unwritable directory."})
    static final class Connections implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "directory for cpu0.svdat and cpu1.svdat")
        Path output;

        @Option(names = "--cycles", defaultValue = "12", paramLabel = "N", description = "connections (default 12)")
        int cycles;

        @Option(names = "--fixed", description = "the firmware after the fix: mutexes are deleted with their connection")
        boolean fixed;

        @Option(names = "--callsites", paramLabel = "FILE", description = "return addresses of a real firmware's calls (caller callee address a line), "
                + "as examples/connection/firmware/build.sh records them; default: made-up addresses")
        Path callsites;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default 1)")
        long seed;

        @Option(names = "--log", description = "write the serial-log form instead (capture.log: a heap_trace_dump after each connection)")
        boolean log;

        @Override
        public Integer call() throws Exception {
            if (cycles < 1 || cycles > 100_000) {
                throw new InputException("--cycles must be 1..100000");
            }
            ConnectionScenario.Stacks stacks = ConnectionScenario.Stacks.synthetic();
            if (callsites != null) {
                OutputFiles.check(List.of(callsites), target(output, "capture.log"), target(output, "cpu0.svdat"),
                        target(output, "cpu1.svdat"));
                try {
                    stacks = ConnectionScenario.Stacks.fromCallSites(Files.readAllLines(callsites));
                } catch (IllegalArgumentException e) {
                    throw new InputException(callsites + ": " + e.getMessage());
                }
            }
            ConnectionScenario.Truth truth;
            if (log) {
                Files.createDirectories(output);
                try (Writer w = Files.newBufferedWriter(output.resolve("capture.log"))) {
                    truth = ConnectionScenario.writeLog(w, cycles, fixed, stacks);
                }
                System.out.printf("wrote %s%n", output.resolve("capture.log"));
            } else {
                truth = ConnectionScenario.write(output, cycles, seed, fixed, stacks);
                System.out.printf("wrote %s and %s%n", output.resolve("cpu0.svdat"), output.resolve("cpu1.svdat"));
            }
            System.out.printf("ground truth: %d connections, %d bytes (%d blocks) leaked per connection, %d bytes once; %d bytes in %d blocks in all%n",
                    truth.cycles(), truth.bytesPerCycle(), truth.blocksPerCycle(), truth.onceBytes(), truth.leakedBytes(), truth.leakedBlocks());
            return 0;
        }
    }
}
