package heapscope.log;

import heapscope.trace.Corruption;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap poisoning's reports ({@code multi_heap_poisoning.c}; docs/log-formats.md), all six forms:
 * {@code CORRUPT HEAP: Bad head|Bad tail|Invalid data at ADDR. Expected .. got ..}, {@code Size at ADDR expected
 * <=.. got ..} and {@code multi_heap.c:LINE detected at ADDR}. They are printed with esp_rom_printf, so a panic or
 * another task can cut into them: a line with the prefix whose address is lost still reports the corruption. The
 * values a canary or size check expected and found are kept.
 */
final class CorruptionParser implements LineParser {
    static final String PREFIX = "CORRUPT HEAP: ";
    private static final String ADDR = "0x([0-9a-fA-F]{1,8})";
    private static final String VAL = "0x([0-9a-fA-F]{1,8})";
    /** Groups: kind, address, expected, actual. */
    private static final Pattern CANARY = LinePattern.compile("^(Bad head|Bad tail|Invalid data) at " + ADDR + "\\. Expected " + VAL + " got " + VAL + "\\s*$");
    /** Groups: address, the largest size expected, the size found. */
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
        Matcher m;
        long n = line.number();
        if ((m = CANARY.matcher(msg)).matches()) {
            sink.emit(new Corruption(sink.timeNs(), 0, n, m.group(1).toLowerCase(Locale.ROOT), Num.hex(m.group(2)), msg, null,
                    Num.hex(m.group(3)), Num.hex(m.group(4))));
        } else if ((m = SIZE.matcher(msg)).matches()) {
            sink.emit(new Corruption(sink.timeNs(), 0, n, "bad size", Num.hex(m.group(1)), msg, null, Num.hex(m.group(2)), Num.hex(m.group(3))));
        } else if ((m = ASSERT.matcher(msg)).matches()) {
            sink.emit(new Corruption(sink.timeNs(), 0, n, "heap assert", Num.hex(m.group(1)), msg));
        } else {
            String kind = kindOf(msg);
            sink.warn(n, "damaged CORRUPT HEAP line: reported as '" + kind + "' without an address");
            sink.emit(new Corruption(sink.timeNs(), 0, n, kind, 0, msg));
        }
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
