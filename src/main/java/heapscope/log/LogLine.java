package heapscope.log;

/**
 * One line of a serial log after cleaning: colours, carriage returns and host-side prefixes removed, and the
 * ESP-IDF log prefix ({@code I (1234) tag: }) split off when there is one.
 *
 * @param number  1-based line number in the input
 * @param text    the message: the line without any prefix
 * @param level   {@code E W I D V}, or 0 when the line has no ESP log prefix
 * @param timeMs  the ESP log prefix's timestamp in ms (since boot, or of the day for clock times), or -1
 * @param tag     the log tag, or null
 * @param hostMs  the host terminal's timestamp in ms of the day, or -1
 * @param decoration a line a decoder on the host added after a line with addresses (idf.py monitor's
 *                {@code --- 0x4200a1b6: app_main at main.c:12}): no device data, only names of its addresses
 * @param atWidth the line is as wide as the widest so far, and at least {@link #MIN_WIDTH} columns (quoting prefixes
 *                and colours apart): where a terminal that wraps its lines cuts them, so the next may be its rest
 * @param record  the line read as a {@code heap_trace_dump()} record on the reading thread, or null (not one, or not read
 *                there): most lines of a large dump are records, and the reading thread reads them while the thread
 *                that parses the rest is behind ({@link LineSource})
 */
public record LogLine(long number, String text, char level, long timeMs, String tag, long hostMs, boolean decoration,
                      boolean atWidth, TraceRecordReader.Record record) {
    /** Narrower lines are not taken for a terminal's wrap. */
    public static final int MIN_WIDTH = 60;

    public LogLine(long number, String text, char level, long timeMs, String tag, long hostMs, boolean decoration) {
        this(number, text, level, timeMs, tag, hostMs, decoration, false, null);
    }

    public LogLine(long number, String text, char level, long timeMs, String tag, long hostMs, boolean decoration, boolean atWidth) {
        this(number, text, level, timeMs, tag, hostMs, decoration, atWidth, null);
    }

    public boolean logged() {
        return level != 0;
    }
}
