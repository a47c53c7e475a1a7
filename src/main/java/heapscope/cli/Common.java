package heapscope.cli;

import heapscope.analysis.Budgets;
import heapscope.analysis.Findings;
import heapscope.chip.Chip;
import heapscope.source.CutNotes;
import heapscope.source.InputException;
import heapscope.report.Escape;
import heapscope.source.OutputFiles;
import heapscope.trace.Condition;
import heapscope.trace.Recording;
import heapscope.trace.Warning;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Wiring shared by the commands: opening inputs and outputs, parsing common options. */
final class Common {
    private Common() {
    }

    static Chip chip(String name) {
        if (name == null) {
            return null;
        }
        return Chip.parse(name).orElseThrow(() -> new InputException("unknown chip '" + name + "'; one of: "
                + String.join(", ", Arrays.stream(Chip.values()).map(Chip::idfName).toList())));
    }

    /** Standard output, or the file given with -o. */
    static PrintWriter output(Path file) throws IOException {
        if (OutputFiles.standardOutput(file)) { // also -o -
            return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        }
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), false);
    }

    /** --color WHEN; lower case, as the user types it. */
    enum Color { auto, always, never }

    /** Colour when asked, or by default when stdout is a terminal and NO_COLOR is not set. */
    static boolean color(Color mode, Path output) {
        return color(mode, output, System.getenv("NO_COLOR"), System.getenv("TERM"), terminal());
    }

    /**
     * --color WHEN decides; by default, colour on a terminal unless TERM is dumb or NO_COLOR is set to anything but
     * the empty string (no-color.org: an empty NO_COLOR is as if unset).
     */
    static boolean color(Color mode, Path output, String noColor, String term, boolean terminal) {
        return switch (mode) {
            case always -> true;
            case never -> false;
            case auto -> OutputFiles.standardOutput(output) && (noColor == null || noColor.isEmpty())
                    && !"dumb".equals(term) && terminal;
        };
    }

    /** Whether standard output is a terminal. */
    static boolean terminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // Java 22+: a console exists even when redirected, so ask whether it is a terminal
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Reports every exceeded budget on standard error; the exit status they call for (0 or 3). */
    static int budgetStatus(List<Budgets.Check> checks) {
        int status = 0;
        for (Budgets.Check c : checks) {
            if (!c.passed()) {
                status = AnalyzeCommand.BUDGET_EXCEEDED;
                System.err.println("heapscope: budget exceeded: " + c.name() + ": " + c.detail() + " (budget " + c.limit() + ")");
            }
        }
        return status;
    }

    static Pattern regex(String option, String text) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new InputException(option + ": not a regular expression: " + e.getDescription());
        }
    }

    /** {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is seconds. Returns ns. */
    static long duration(String option, String text) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?").matcher(text.trim());
        if (!m.matches()) {
            throw new InputException(option + ": '" + text + "' is not a duration (e.g. 5s, 500ms, 2m)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double seconds = switch (unit) {
            case "ms" -> v / 1000;
            case "m", "min" -> v * 60;
            case "h" -> v * 3600;
            default -> v;
        };
        return Math.round(seconds * 1e9);
    }

    /**
     * A file that ships with heapscope (an example), found from where heapscope runs (target/heapscope.jar or
     * target/classes in a checkout), so that defaults work from any directory.
     */
    static Path shipped(String relative) {
        try {
            Path code = Path.of(Common.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root != null && Files.exists(root.resolve(relative))) {
                return root.resolve(relative);
            }
        } catch (URISyntaxException | RuntimeException e) {
            // not run from a checkout: the relative path is all there is
        }
        return Path.of(relative);
    }

    /**
     * The capture's warnings on standard error, for commands whose output has no place for them (events, diff,
     * export): damage that stopped decoding would otherwise pass for a capture with fewer leaks. What makes the
     * capture partial comes first, as in every report's headline (an ELF mismatch is said by {@link #notices}),
     * unless {@code conditions} is false: under --strict, {@link StrictOption#status} says each condition at the end.
     */
    static void warnings(Recording recording, boolean conditions) {
        for (Condition c : recording.conditions()) {
            if (conditions && c.effect() == Condition.Effect.INCOMPLETE) {
                System.err.println("heapscope: incomplete capture: " + Escape.terminal(c.reason()));
            } else if (c.effect() == Condition.Effect.SUMMARISED) { // an export's one stack for many
                System.err.println("heapscope: summarised: " + Escape.terminal(c.reason()));
            }
        }
        for (Warning w : recording.warnings()) {
            System.err.println("heapscope: warning: " + Escape.terminal(w.format()));
        }
        if (recording.suppressedWarnings() > 0) {
            System.err.println("heapscope: warning: " + recording.suppressedWarnings() + " more warnings not shown");
        }
    }

    /**
     * A byte count given to OPTION: digits with an optional k/KiB (1024) or M/MiB (1024 x 1024) suffix, as heap sizes
     * are printed on the device; -1 when the option was not given.
     */
    static long bytes(String option, String text) {
        if (text == null) {
            return -1;
        }
        Matcher m = Pattern.compile("(\\d{1,15})\\s*(?:(k|K|KB|KiB|kB)|(M|MB|MiB))?").matcher(text.trim());
        if (!m.matches()) {
            throw new InputException(option + ": '" + text + "' is not a byte count (e.g. 4096, 64k, 2M)");
        }
        return Long.parseLong(m.group(1)) << (m.group(2) != null ? 10 : m.group(3) != null ? 20 : 0);
    }

    /**
     * What the ELF check found, on standard error too: the report shows it at the top, but a run whose output goes
     * elsewhere should still say it.
     */
    static void notices(Findings findings) {
        for (String notice : findings.notices()) {
            System.err.println("heapscope: warning: " + Escape.terminal(notice));
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
