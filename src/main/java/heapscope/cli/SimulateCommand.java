package heapscope.cli;

import heapscope.sim.SyntheticTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "simulate", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        description = {"Writes a synthetic SystemView heap trace with a known leak set (cpu0.svdat, cpu1.svdat) in",
                "ESP-IDF's exact encoding: tasks on both cores churn around a fixed live set while a few call sites",
                "leak. Prints the ground truth. For tests, benchmarks and trying heapscope without hardware."},
        footer = {"", "Exit status: 0 written, 2 bad arguments or unwritable directory."})
final class SimulateCommand implements Callable<Integer> {
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
            throw new heapscope.source.InputException("--events must be >= 0, --live 1..1000000, --leaks 0..1000000");
        }
        SyntheticTrace.Truth truth = SyntheticTrace.write(new SyntheticTrace.Spec(events, live, leaks, seed), output);
        System.out.printf("wrote %s and %s%n", output.resolve("cpu0.svdat"), output.resolve("cpu1.svdat"));
        System.out.printf("ground truth: %d heap events (%d allocations, %d frees), %d leaked bytes in %d blocks%n",
                truth.heapEvents(), truth.allocs(), truth.frees(), truth.leakedBytes(), truth.leakedBlocks());
        return 0;
    }
}
