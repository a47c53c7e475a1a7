package heapscope.log;

import java.util.regex.Pattern;

/**
 * Compiles the regexes that read log lines. A line ends at LF only, so inside it NEL (U+0085), LINE SEPARATOR
 * (U+2028) and PARAGRAPH SEPARATOR (U+2029) are text like any other: by default Java's {@code .} does not match
 * them and {@code $} matches before them, which would make a panic reason or task name holding one fail its
 * pattern without a warning. {@link Pattern#UNIX_LINES} leaves LF as the only line terminator.
 */
final class LinePattern {
    private LinePattern() {
    }

    static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.UNIX_LINES);
    }

    /** The same pattern read the same way, for a regex the user compiled ({@code --sample}). */
    static Pattern of(Pattern p) {
        return (p.flags() & Pattern.UNIX_LINES) != 0 ? p : Pattern.compile(p.pattern(), p.flags() | Pattern.UNIX_LINES);
    }
}
