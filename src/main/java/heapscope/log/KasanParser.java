package heapscope.log;

import heapscope.trace.Corruption;
import heapscope.trace.Corruption.Access;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ESP-IDF's KASAN reports ({@code CONFIG_COMPILER_KASAN}; docs/log-formats.md): {@code KASAN error: WRITE of size 4
 * at 0x3fc9a0b4} and, on the next line, {@code   Bug type: heap-buffer-overflow (right redzone) (shadow
 * nibble=0xd)}; one {@link Corruption} with its {@link Access}. The abort that follows ({@code KASAN: invalid memory
 * access} and its backtrace; none with {@code CONFIG_KASAN_NO_HALT}) is the crash parser's. Both lines are printed
 * with esp_rom_printf, so they may be found inside a line another task's output cut into.
 */
final class KasanParser implements LineParser {
    private static final String PREFIX = "KASAN error: ";
    private static final Pattern ERROR = LinePattern.compile("^KASAN error: (READ|WRITE) of size (\\d{1,10}) at 0x([0-9a-fA-F]{1,8})\\s*$");
    private static final Pattern BUG = LinePattern.compile("^Bug type: (.{1,80}?) \\(shadow nibble=0x([0-9a-fA-F])\\)\\s*$");
    /** Lines the bug type may come after: another task's log lines cut in between. */
    private static final int MAX_GAP = 3;

    private boolean pending;
    private long line;
    private long timeNs;
    private long address;
    private boolean write;
    private int size;
    private String text;
    private int gap;

    @Override
    public boolean open() {
        return pending;
    }

    @Override
    public boolean accept(LogLine l, LogSink sink) {
        String t = l.text();
        int at = t.indexOf(PREFIX);
        if (pending) {
            int b = t.indexOf("Bug type:");
            if (b >= 0 && at < 0) {
                Matcher m = BUG.matcher(t.substring(b).strip());
                if (m.matches()) {
                    emit(sink, m.group(1).strip(), Integer.parseInt(m.group(2), 16), text + " / " + t.strip());
                } else {
                    sink.warn(l.number(), "damaged KASAN bug type line: the error at line " + line + " is reported without it");
                    emit(sink, "unknown poison", -1, text);
                }
                return true;
            }
            if (at < 0 && l.logged() && ++gap <= MAX_GAP) {
                return false; // another task's line: the bug type may still come
            }
            sink.warn(line, "KASAN error without its bug type line");
            emit(sink, "unknown poison", -1, text);
        }
        if (at < 0) {
            return false;
        }
        String s = t.substring(at).strip();
        Matcher m = ERROR.matcher(s);
        if (!m.matches()) {
            sink.warn(l.number(), "damaged KASAN error line: reported without its access");
            sink.emit(new Corruption(sink.timeNs(), 0, l.number(), "unknown poison", 0, s));
            return true;
        }
        pending = true;
        line = l.number();
        timeNs = sink.timeNs();
        write = m.group(1).equals("WRITE");
        size = (int) Math.min(Long.parseLong(m.group(2)), Integer.MAX_VALUE);
        address = Num.hex(m.group(3));
        text = s;
        gap = 0;
        return true;
    }

    private void emit(LogSink sink, String kind, int nibble, String fullText) {
        sink.emit(new Corruption(timeNs, 0, line, kind, address, fullText, new Access(write, size, nibble), -1, -1));
        pending = false;
    }

    @Override
    public void end(LogSink sink) {
        if (pending) {
            sink.warn(line, "the log ends before this KASAN error's bug type line");
            emit(sink, "unknown poison", -1, text);
        }
    }
}
