package heapscope.log;

import heapscope.trace.Alloc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failed-allocation callback of ESP-IDF's heap documentation ({@code heap_caps_register_failed_alloc_callback}),
 * whose example firmware copies widely: {@code FUNC was called but failed to allocate N bytes with 0xCAPS
 * capabilities.}, with any prefix ({@code E (123) TAG: }, {@code Heap Full: "FUNC"}). An {@link Alloc} at address 0
 * of that size with the capabilities asked for.
 */
final class FailedAllocHookParser implements LineParser {
    static final String KEY = " was called but failed to allocate ";
    // the capabilities as the documentation prints them (0x%X), or in decimal (%lu), or as 8 bare hex digits (%04x%04x)
    private static final Pattern SIZE = LinePattern.compile("(\\d{1,12}) bytes with (?:0x([0-9a-fA-F]{1,8})|([0-9a-fA-F]{8})|(\\d{1,10})|\\S{1,20}) capabilities");

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        int i = t.indexOf(KEY);
        if (i < 0) {
            return false;
        }
        Matcher m = SIZE.matcher(t).region(i + KEY.length(), t.length());
        if (!m.lookingAt()) {
            return false;
        }
        long caps = m.group(2) != null ? Num.hex(m.group(2)) : m.group(3) != null ? Num.hex(m.group(3)) : m.group(4) != null ? Long.parseLong(m.group(4)) : -1;
        sink.emit(Alloc.failed(sink.timeNs(), Long.parseLong(m.group(1)), caps));
        return true;
    }
}
