package heapscope.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the files a command is about to write before anything is opened: a capture cannot be made again, so no
 * output may be one of the run's inputs (the capture, the ELF, a rules file...), and outputs may not name one
 * file twice. {@code -} as an output is standard output.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** A file the command writes and the option that named it, for the message. */
    public record Target(String option, Path path) {
    }

    /** Whether OUTPUT means standard output: not given, or {@code -}. */
    public static boolean standardOutput(Path output) {
        return output == null || output.toString().equals("-");
    }

    /** The files among capture arguments as the command line gives them (not {@code -}, not tcp://). */
    public static List<Path> files(List<String> inputs) {
        return inputs.stream().flatMap(i -> InputSpec.parse(i).file().stream()).toList();
    }

    /**
     * Throws an {@link InputException} when a target is the same file as an input ({@link Files#isSameFile}: links
     * and other spellings of a path included) or as another target. Null inputs and targets, and targets that are
     * standard output, are skipped.
     */
    public static void check(List<Path> inputs, Target... targets) {
        List<Target> written = new ArrayList<>();
        for (Target t : targets) {
            if (t == null || standardOutput(t.path())) {
                continue;
            }
            for (Path in : inputs) {
                if (in != null && same(t.path(), in)) {
                    throw new InputException(t.path() + ": " + t.option() + " names an input of this run (" + in
                            + "); refusing to overwrite it");
                }
            }
            for (Target w : written) {
                if (same(t.path(), w.path())) {
                    throw new InputException(t.path() + ": " + t.option() + " and " + w.option() + " name the same file");
                }
            }
            written.add(t);
        }
    }

    /** Throws an {@link InputException} when one of FILES exists and FORCE is not set: a saved capture is never replaced silently. */
    public static void fresh(String option, boolean force, Path... files) {
        if (force) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new InputException(f + ": exists; " + option + " does not replace a capture (give a new name, or --force)");
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false; // unreadable: opening it reports why
        }
    }

    /** The capture files of CAPTURES (as {@link #files}) and the other input files given (null: option not given). */
    public static List<Path> inputs(List<String> captures, Path... others) {
        List<Path> all = new ArrayList<>(files(captures));
        all.addAll(Arrays.asList(others));
        return all;
    }
}
