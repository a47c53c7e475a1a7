package heapscope.log;

import java.util.regex.Matcher;

/**
 * Joins back a record that a terminal wrapped onto several lines, for the parsers of records printed raw (heap trace
 * dumps, heap info blocks, sysviewtrace_proc events). A parser holds a record line of its own that ends where a wrap
 * cuts: at the terminal's width ({@link LogLine#atWidth}), or inside the record. The next line is its rest when it
 * is raw output (not a log line, not blank) that begins none of the parser's lines and, joined on, still reads as a
 * record or its start; else the held line is read as it is. Two whole records are never joined: the second begins
 * a line of the parser.
 */
final class Unwrap {
    /** What a text is to a parser: one of its records, the start of one cut short, or neither. */
    enum Shape { WHOLE, CUT, OTHER }

    /** The parser's side: its records' shapes and its lines' starts, told without side effects, and its reading. */
    interface Records {
        Shape shape(String text);

        /** Whether {@code text} begins a line of the parser's (a record, a header, a summary): then it is no rest. */
        boolean begins(String text);

        /** {@link LineParser#accept} of one line; {@code mayHold}: it may {@link #hold} the line instead. */
        boolean read(LogLine line, LogSink sink, boolean mayHold);
    }

    /** The shape of a matcher's text as its pattern's record: a text that ends while it still matches is cut. */
    static Shape shape(Matcher m) {
        return m.matches() ? Shape.WHOLE : m.hitEnd() ? Shape.CUT : Shape.OTHER;
    }

    private final Records records;
    private LogLine held;

    Unwrap(Records records) {
        this.records = records;
    }

    boolean holding() {
        return held != null;
    }

    /** The parser's {@link LineParser#accept}: the held line joined with its rest, or read alone before this one. */
    boolean accept(LogLine line, LogSink sink) {
        if (held != null) {
            LogLine joined = join(held, line);
            LogLine first = release();
            if (joined != null) {
                return records.read(joined, sink, true);
            }
            records.read(first, sink, false);
        }
        return records.read(line, sink, true);
    }

    /** The log ended: a held line is read as it is. */
    void end(LogSink sink) {
        if (held != null) {
            records.read(release(), sink, false);
        }
    }

    /**
     * Holds {@code line} when a wrap may have cut it: it is a record cut short, or a whole one at the terminal's width
     * (where a cut may fall inside a number). Returns whether it is held.
     */
    boolean hold(LogLine line, Shape shape) {
        if (shape == Shape.CUT || shape == Shape.WHOLE && line.atWidth()) {
            held = line;
            return true;
        }
        return false;
    }

    /**
     * {@code first} with {@code next} as its rest, to be read (and held again when it may still be cut); null when
     * {@code next} is no rest. Tried also with a blank between: a paste drops the blank a wrap left at the end of a
     * line. For a parser that read {@code first} already, as a whole record at the width, and takes it back.
     */
    LogLine join(LogLine first, LogLine next) {
        String rest = next.text();
        if (rest.isBlank() || next.logged() || next.decoration() || first.text().length() > LineSource.MAX_LINE || records.begins(rest)) {
            return null;
        }
        for (String text : new String[] {first.text() + rest, first.text() + " " + rest}) {
            if (records.shape(text) != Shape.OTHER) {
                return new LogLine(first.number(), text, first.level(), first.timeMs(), first.tag(), first.hostMs(), false, next.atWidth());
            }
        }
        return null;
    }

    private LogLine release() {
        LogLine l = held;
        held = null;
        return l;
    }
}
