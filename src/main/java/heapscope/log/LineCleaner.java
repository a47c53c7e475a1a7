package heapscope.log;

import heapscope.trace.LogNames;
import heapscope.util.LongSet;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw serial-log lines into {@link LogLine}s: strips ANSI colour sequences and carriage returns, the
 * prefixes host terminals add ({@code [18:26:36]}, ESPHome's {@code [D][tag:000]: }, arduino-esp32's
 * {@code [  1332][V][file.cpp:400] func(): }), and splits off ESP-IDF's log prefix (Log V1 and V2 with a
 * timestamp). See docs/log-formats.md.
 */
final class LineCleaner {
    /** Addresses whose decoded line was passed on, as many as the recording keeps names of. */
    private final LongSet named = new LongSet(LogNames.MAX_ADDRESSES);
    /** The last address line was a repeat: the "(inlined by)" lines that follow it are too. */
    private boolean repeating;
    /** Columns of the widest line so far: a terminal that wraps cuts its lines at that width. */
    private int widest;
    private final TraceRecordReader records = new TraceRecordReader();
    private boolean readRecords = true;
    private static final Pattern ANSI = LinePattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");
    private static final Pattern HOST_TIME = LinePattern.compile("^\\[(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?\\] ?");
    private static final Pattern ESPHOME = LinePattern.compile("^\\[[CDEIVW]\\]\\[[^\\]]{1,64}\\]: ");
    private static final Pattern ARDUINO = LinePattern.compile("^\\[\\s*(\\d+)\\]\\[([EWIDV])\\]\\[[^\\]]{1,128}\\] [^\\s(]{0,128}\\(\\): ");
    /** ESP-IDF Log V1/V2 with a timestamp: ms since boot, HH:MM:SS.mmm, YY-MM-DD HH:MM:SS.mmm. */
    private static final Pattern ESP = LinePattern.compile(
            "^([EWIDV]) \\((\\d{1,16}|\\d{2}:\\d{2}:\\d{2}\\.\\d{3}|\\d{2,3}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\) (?:([^:\\s][^:]{0,63}?): )?");

    /**
     * Cleans the line in {@code b[from, to)} (without its LF). The common host prefix and the CR are taken off the
     * bytes, so the line's text is copied once, into its {@code String}. Null for a decoration that repeats one
     * passed on before.
     */
    LogLine clean(long number, byte[] b, int from, int to) {
        int end = to > from && b[to - 1] == '\r' ? to - 1 : to;
        boolean readAtFrom = readRecords && end > from && b[from] == ' ';
        if (readAtFrom) {
            // a record line as the device prints it, most lines of a dump: no paste, clock or decoration to take off
            TraceRecordReader.Record record = records.read(b, from, end);
            if (record != null) {
                repeating = false;
                return record(number, b, from, end, -1, 0, record);
            }
        }
        int start = pasteEnd(b, from, end);
        if (start < 0) {
            return new LogLine(number, "", (char) 0, -1, null, -1, false); // a code fence: a blank line, as far as messages go
        }
        int prefixEnd = hostTimeEnd(b, start, end);
        long hostMs = prefixEnd < 0 ? -1 : hostTime(b, start);
        int text = prefixEnd < 0 ? start : prefixEnd;
        for (int inner; prefixEnd >= 0 && (inner = hostTimeEnd(b, text, end)) >= 0; ) {
            text = inner; // a terminal's clock in front of another's (a forwarded log): the outer one dates the line
        }
        boolean decoration = decoration(b, text, end);
        if (decoration && repeated(b, text, end)) {
            return null; // names nothing new: dropped before it costs a String, a regex or a place in the queue
        }
        repeating &= decoration;
        // a line read as it came (above) and nothing taken off it since is no record: not read again
        TraceRecordReader.Record record = decoration || !readRecords || readAtFrom && text == from ? null : records.read(b, text, end);
        if (record != null) {
            return record(number, b, text, end, hostMs, text - start, record);
        }
        return clean(number, new String(b, text, end - text, StandardCharsets.UTF_8), hostMs, !decoration, text - start);
    }

    /** A record line: ASCII without colours, prefixes or a CR, which the text cleaning would leave as it is. */
    private LogLine record(long number, byte[] b, int text, int end, long hostMs, int prefix, TraceRecordReader.Record record) {
        String raw = new String(b, text, end - text, StandardCharsets.ISO_8859_1);
        return new LogLine(number, raw, (char) 0, -1, null, hostMs, false, atWidth(prefix + raw.length()), record);
    }

    /**
     * Whether a decoration repeats one passed on before: idf.py monitor decodes the same addresses in every dump, and
     * only an address's first naming counts ({@link heapscope.trace.LogNames}), so the repeat of an address line and
     * the "(inlined by)" lines after it are dropped (null from {@link #clean(long, byte[], int, int)}).
     */
    private boolean repeated(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] == ' ') {
            i++;
        }
        if (startsWith(b, i, to, "--- ")) {
            i += 4;
        }
        if (to > i + 12 && b[i] == '0' && b[i + 1] == 'x' && b[i + 10] == ':') {
            long address = 0;
            for (int k = i + 2; k < i + 10; k++) {
                int c = b[k];
                int lower = c | 0x20;
                int d = c >= '0' && c <= '9' ? c - '0' : lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
                if (d < 0) {
                    return repeating = false; // not an address line after all: passed on, as any decoration
                }
                address = address << 4 | d;
            }
            repeating = !named.add(address);
            return repeating;
        }
        return repeating && startsWith(b, i, to, "(inlined by)");
    }

    /** Whether the lines cleaned from now on are read as heap trace records too ({@link LogLine#record}); at first they are. */
    void readRecords(boolean read) {
        readRecords = read;
    }

    /**
     * Cleans {@code raw}, marking a decoration ({@link LogLine#decoration}); {@code hostMs} >= 0 when the host time
     * prefix was taken off, {@code rawChecked} when {@code raw} itself is known not to be a decoration.
     */
    LogLine clean(long number, String raw, long hostMs, boolean rawChecked) {
        return clean(number, raw, hostMs, rawChecked, -1);
    }

    /**
     * The same for a line of a log, whose widths are followed ({@link LogLine#atWidth}): {@code hostColumns} is the
     * width of the host clock taken off before {@code raw} (a terminal prints it and wraps the line with it).
     */
    private LogLine clean(long number, String raw, long hostMs, boolean rawChecked, int hostColumns) {
        String s = raw;
        if (!s.isEmpty() && s.charAt(s.length() - 1) == '\r') {
            s = s.substring(0, s.length() - 1);
        }
        if (s.indexOf('\r') >= 0) {
            s = s.replace("\r", "");
        }
        if (s.indexOf('\u001b') >= 0) {
            s = ANSI.matcher(s).replaceAll("");
        }
        boolean atWidth = hostColumns >= 0 && atWidth(hostColumns + s.length());
        long timeMs = -1;
        char level = 0;
        String tag = null;
        if (!s.isEmpty() && s.charAt(0) == '[') {
            Matcher m = hostMs < 0 ? HOST_TIME.matcher(s) : null;
            if (m != null && m.find()) { // behind colours, or with other fractions of a second
                hostMs = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
                        + (m.group(4) == null ? 0 : Long.parseLong((m.group(4) + "000").substring(0, 3)));
                s = s.substring(m.end());
            }
            for (Matcher inner; s.startsWith("[") && (inner = HOST_TIME.matcher(s)).find(); ) {
                s = s.substring(inner.end()); // a terminal's clock in front of another's: the outer one dates the line
            }
            Matcher a = s.startsWith("[") ? ARDUINO.matcher(s) : null;
            if (a != null && a.find()) {
                timeMs = Long.parseLong(a.group(1));
                level = a.group(2).charAt(0);
                s = s.substring(a.end());
            } else if (s.startsWith("[")) {
                Matcher e = ESPHOME.matcher(s);
                if (e.find()) {
                    s = s.substring(e.end());
                }
            }
        }
        if (s.length() > 4 && s.charAt(1) == ' ' && s.charAt(2) == '(' && "EWIDV".indexOf(s.charAt(0)) >= 0) {
            // the common case by hand: "I (1234) tag: message"
            int i = 3;
            long ms = 0;
            while (i < s.length() && i < 19 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                ms = ms * 10 + (s.charAt(i++) - '0');
            }
            if (i > 3 && i + 1 < s.length() && s.charAt(i) == ')' && s.charAt(i + 1) == ' ') {
                level = s.charAt(0);
                timeMs = ms;
                int from = i + 2;
                int colon = s.indexOf(": ", from);
                if (colon > from && colon - from <= 64 && s.indexOf(':', from) == colon) {
                    tag = s.substring(from, colon);
                    s = s.substring(colon + 2);
                } else {
                    s = s.substring(from);
                }
            } else {
                Matcher m = ESP.matcher(s);
                if (m.find()) {
                    level = s.charAt(0);
                    timeMs = parseTime(m.group(2));
                    tag = m.group(3);
                    s = s.substring(m.end());
                }
            }
        }
        return new LogLine(number, s, level, timeMs, tag, hostMs, (s != raw || !rawChecked) && decoration(s), atWidth);
    }

    /** Whether a line of {@code columns} is as wide as the widest so far ({@link LogLine#atWidth}), which it may now be. */
    private boolean atWidth(int columns) {
        boolean at = columns >= LogLine.MIN_WIDTH && columns >= widest;
        widest = Math.max(widest, columns);
        return at;
    }

    /**
     * End of the prefixes a person adds to a log pasted into an issue, a forum or a mail, in {@code b[from, to)}:
     * quote marks ({@code > }, {@code >> }, {@code > > }), a table's bar ({@code | }), a list bullet ({@code * },
     * {@code - }, {@code + }) and a pastebin's or gist's line number ({@code 12. }, {@code 12<tab>}, {@code 12 | });
     * {@code from} when there is none, -1 when what is left is a Markdown code fence. The first byte decides
     * for most lines, so a clean log pays next to nothing.
     */
    private static int pasteEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int j = i;
            while (j < to && j - i < 4 && b[j] == ' ') {
                j++;
            }
            if (j == to) {
                return i;
            }
            byte c = b[j];
            int next;
            if (c == '>') {
                next = j + 1;
            } else if ((c == '*' || c == '-' || c == '+' || c == '|' && !tableRow(b, j, to))
                    && (j + 1 == to || b[j + 1] == ' ' || b[j + 1] == '\t')) {
                next = j + 1; // "--- 0x..." (a decoration) and "|<-CORRUPTED" have no blank after their first byte
            } else if (c >= '0' && c <= '9') {
                next = lineNumberEnd(b, j, to);
                if (next < 0) {
                    return i;
                }
            } else if ((c == '`' || c == '~') && to - j >= 3 && b[j + 1] == c && b[j + 2] == c) {
                return -1;
            } else {
                return i;
            }
            i = next < to && (b[next] == ' ' || b[next] == '\t') ? next + 1 : next;
        }
        return i;
    }

    /** A row of a table the device prints ("| main | Running |"): it ends with the bar it starts with. */
    private static boolean tableRow(byte[] b, int from, int to) {
        int i = to - 1;
        while (i > from && (b[i] == ' ' || b[i] == '\t')) {
            i--;
        }
        return i > from && b[i] == '|';
    }

    /** After a pastebin's line number at {@code b[from]}: "12. ", "12.", "12<tab>", "12 | "; -1 when it is not one. */
    private static int lineNumberEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to && i - from < 6 && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == to || i - from == 6) {
            return -1;
        }
        if (b[i] == '\t') {
            return i;
        }
        if (b[i] == '.' && (i + 1 == to || b[i + 1] == ' ')) {
            return i + 1;
        }
        return i + 2 < to && b[i] == ' ' && b[i + 1] == '|' && b[i + 2] == ' ' ? i + 2 : -1;
    }

    /**
     * End of a host terminal's clock in front of {@code b[from, to)}: "[HH:MM:SS] ", "[HH:MM:SS.mmm] " or the Arduino
     * IDE serial monitor's "HH:MM:SS.mmm -> "; -1 when there is none (other forms go through the regex).
     */
    private static int hostTimeEnd(byte[] b, int from, int to) {
        if (to - from >= 16 && b[from + 2] == ':' && clock(b, from) && b[from + 8] == '.' && digits(b, from + 9, from + 12)
                && b[from + 12] == ' ' && b[from + 13] == '-' && b[from + 14] == '>') {
            return b[from + 15] == ' ' ? from + 16 : from + 15;
        }
        if (to - from < 10 || b[from] != '[' || !clock(b, from + 1)) {
            return -1;
        }
        int close = b[from + 9] == ']' ? from + 9
                : to - from > 14 && b[from + 9] == '.' && digits(b, from + 10, from + 13) && b[from + 13] == ']' ? from + 13 : -1;
        if (close < 0) {
            return -1;
        }
        return close + 1 < to && b[close + 1] == ' ' ? close + 2 : close + 1;
    }

    /** "HH:MM:SS" at {@code b[at]}. */
    private static boolean clock(byte[] b, int at) {
        return b[at + 2] == ':' && b[at + 5] == ':' && digits(b, at, at + 2) && digits(b, at + 3, at + 5) && digits(b, at + 6, at + 8);
    }

    private static long hostTime(byte[] b, int from) {
        int at = b[from] == '[' ? from + 1 : from;
        long t = ((num(b, at, at + 2) * 60 + num(b, at + 3, at + 5)) * 60 + num(b, at + 6, at + 8)) * 1000;
        return b[at + 8] == '.' ? t + num(b, at + 9, at + 12) : t;
    }

    private static boolean digits(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static long num(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static long parseTime(String t) {
        if (t.indexOf(':') < 0) {
            return t.length() > 15 ? -1 : Long.parseLong(t);
        }
        String clock = t.substring(t.length() - 12); // HH:MM:SS.mmm; a date before it is not needed for order within a day
        return ((Long.parseLong(clock.substring(0, 2)) * 60 + Long.parseLong(clock.substring(3, 5))) * 60
                + Long.parseLong(clock.substring(6, 8))) * 1000 + Long.parseLong(clock.substring(9, 12));
    }

    /** Lines idf.py monitor and other decoders insert after a line with addresses; they carry no device data. */
    static boolean decoration(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1); // the grammar is ASCII: anything else cannot match
        return decoration(b, 0, b.length);
    }

    /**
     * A decoration line in {@code b[from, to)}: "--- 0x4037...: func at file:line", "--- (inlined by) ...", " (inlined by) ...",
     * "0x40376183: func at ..." (older monitors) or a gdb-style "#0  0x4037... in func". Tested on the raw bytes
     * before a line is cleaned (most lines of a log that idf.py monitor decoded are these), and on the cleaned text
     * of lines whose colours or prefixes hid it.
     */
    static boolean decoration(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] == ' ') {
            i++;
        }
        if (i == to) {
            return false;
        }
        return switch (b[i]) {
            case '-' -> startsWith(b, i, to, "--- 0x") || startsWith(b, i, to, "--- (inlined by)");
            case '(' -> startsWith(b, i, to, "(inlined by)");
            case '0' -> to > i + 12 && b[i + 1] == 'x' && b[i + 10] == ':' && b[i + 11] == ' ' && isHex(b, i + 2, i + 10);
            case '#' -> frame(b, i + 1, to);
            default -> false;
        };
    }

    /** After the '#' of "#12  0x...": digits, white space, "0x". */
    private static boolean frame(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        int spaces = i;
        while (i < to && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) {
            i++;
        }
        return i > spaces && spaces > from && startsWith(b, i, to, "0x");
    }

    private static boolean startsWith(byte[] b, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[from + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(b[i], 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
