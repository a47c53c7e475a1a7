package heapscope.bench;

import heapscope.cli.CoreDumpCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code heapscope coredump} does, timed: find and decode the dump, open the ELF, unwind every task, walk the
 * heap and its trace where the dump saved them, symbolize and print. The first round is cold (nothing decoded yet in this JVM), the best of the rest warm; the baseline is
 * reading the same two files.
 */
public final class CoreDumpBench {
    private final Path dump;
    private final Path elf;

    public CoreDumpBench(Path dump, Path elf) {
        this.dump = dump;
        this.elf = elf;
    }

    /** Times in milliseconds: the first round, the best round, the best plain read; and the output's length. */
    public record Result(double firstMs, double bestMs, double readMs, int frames, int outputChars) {
    }

    public Result run(int rounds) throws IOException {
        double first = -1;
        double best = Double.MAX_VALUE;
        double read = Double.MAX_VALUE;
        int frames = 0;
        int chars = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            byte[] a = Files.readAllBytes(dump);
            byte[] b = Files.readAllBytes(elf);
            read = Math.min(read, (System.nanoTime() - t0) / 1e6);
            if (a.length + b.length < 0) {
                throw new IllegalStateException();
            }
            long t1 = System.nanoTime();
            CoreDumpCommand.Reading reading = CoreDumpCommand.read(dump, elf, null, "1", w -> { });
            StringWriter out = new StringWriter();
            reading.write(new PrintWriter(out));
            double ms = (System.nanoTime() - t1) / 1e6;
            if (first < 0) {
                first = ms;
            }
            best = Math.min(best, ms);
            frames = reading.result().tasks().stream().mapToInt(t -> t.backtrace().frames().size()).sum();
            chars = out.getBuffer().length();
        }
        return new Result(first, best, read, frames, chars);
    }
}
