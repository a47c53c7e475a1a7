package heapscope.log;

import heapscope.trace.Corruption;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap poisoning's reports ({@code multi_heap_poisoning.c}; docs/log-formats.md), all six forms:
 * {@code CORRUPT HEAP: Bad head|Bad tail|Invalid data at ADDR. Expected .. got ..}, {@code Size at ADDR expected
 * <=.. got ..} and {@code multi_heap.c:LINE detected at ADDR}. They are printed with esp_rom_printf, so a panic or
 * another task can cut into them: a line with the prefix whose address is lost still reports the corruption.
 */
final class CorruptionParser implements LineParser {
    static final String PREFIX = "CORRUPT HEAP: ";
    private static final String ADDR = "0x([0-9a-fA-F]{1,8})";
    private static final String VAL = "0x[0-9a-fA-F]{1,8}";
    private static final Pattern CANARY = LinePattern.compile("^(Bad head|Bad tail|Invalid data) at " + ADDR + "\\. Expected " + VAL + " got " + VAL + "\\s*$");
    private static final Pattern SIZE = LinePattern.compile("^Size at " + ADDR + " expected <=" + VAL + " got " + VAL + "\\s*$");
    private static final Pattern ASSERT = LinePattern.compile("^multi_heap\\.c:\\d+ detected at " + ADDR + "\\s*$");

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        int at = t.indexOf(PREFIX);
        if (at < 0) {
            return false;
        }
        String msg = t.substring(at + PREFIX.length()).strip();
        String kind;
        Matcher m;
        if ((m = CANARY.matcher(msg)).matches()) {
            kind = m.group(1).toLowerCase(Locale.ROOT);
        } else if ((m = SIZE.matcher(msg)).matches()) {
            kind = "bad size";
        } else if ((m = ASSERT.matcher(msg)).matches()) {
            kind = "heap assert";
        } else {
            kind = kindOf(msg);
            sink.warn(line.number(), "damaged CORRUPT HEAP line: reported as '" + kind + "' without an address");
            sink.emit(new Corruption(sink.timeNs(), 0, line.number(), kind, 0, msg));
            return true;
        }
        sink.emit(new Corruption(sink.timeNs(), 0, line.number(), kind, Num.hex(m.group(m.groupCount())), msg));
        return true;
    }

    /** The kind a damaged line still names by its first words. */
    private static String kindOf(String msg) {
        if (msg.startsWith("Bad head")) {
            return "bad head";
        } else if (msg.startsWith("Bad tail")) {
            return "bad tail";
        } else if (msg.startsWith("Invalid data")) {
            return "invalid data";
        } else if (msg.startsWith("Size at")) {
            return "bad size";
        } else if (msg.startsWith("multi_heap")) {
            return "heap assert";
        }
        return "unknown";
    }
}
