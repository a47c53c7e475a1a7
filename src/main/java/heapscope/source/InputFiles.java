package heapscope.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks a file the user named before it is read: the reading itself fails without naming it ("Is a directory"). */
public final class InputFiles {
    private InputFiles() {
    }

    /** Returns FILE if it is a readable file; else throws an {@link InputException} that names it and says why. */
    public static Path readable(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new InputException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new InputException(file + ": permission denied");
        }
        return file;
    }

    /** The lines of a small text file the user wrote (rules, suppressions); bytes that are not UTF-8 read as U+FFFD. */
    public static List<String> lines(Path file) throws IOException {
        return new String(Files.readAllBytes(readable(file)), StandardCharsets.UTF_8).lines().toList();
    }
}
