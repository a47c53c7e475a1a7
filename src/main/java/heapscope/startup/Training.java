package heapscope.startup;

import heapscope.cli.Main;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The workload the JVM's ahead-of-time cache is trained on (JDK 25 {@code -XX:AOTCacheOutput}): the commands a
 * user starts most, on the shipped example, in one JVM, so that the classes they load and the methods they run are
 * in the cache. Output is discarded; a failing command fails the training, so a broken cache is never written.
 */
public final class Training {
    private Training() {
    }

    /** {@code Training EXAMPLE_DIR}: the directory holding cpu0.svdat, cpu1.svdat and app.elf. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Training EXAMPLE_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String elf = dir.resolve("app.elf").toString();
        String cpu0 = dir.resolve("cpu0.svdat").toString();
        String cpu1 = dir.resolve("cpu1.svdat").toString();
        String[][] commands = {
            {"analyze", cpu0, cpu1, "--elf", elf, "--cycle", "New connection"},
            {"analyze", cpu0, cpu1, "--format", "json"},
            {"symbolize", "--elf", elf, "0x400000fa", "0x4000011a", "0x4000012c", "0x4000015c", "0x400001bc"},
            {"--help"},
        };
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            for (String[] command : commands) {
                int status = Main.run(command);
                if (status != 0) {
                    out.println("training: heapscope " + String.join(" ", command) + " exited with " + status);
                    System.exit(1);
                }
            }
        } finally {
            System.setOut(out);
        }
    }
}
