package heapscope.log;

import heapscope.trace.Alloc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failed-allocation callback of ESP-IDF's heap documentation ({@code heap_caps_register_failed_alloc_callback}),
 * whose example firmware copies widely: {@code FUNC was called but failed to allocate N bytes with 0xCAPS
 * capabilities.}, with any prefix ({@code E (123) TAG: }, {@code Heap Full: "FUNC"}). An {@link Alloc} at address 0
 * of that size; the capabilities are not kept (the model has no place for them).
 */
final class FailedAllocHookParser implements LineParser {
    static final String KEY = " was called but failed to allocate ";
    private static final Pattern SIZE = LinePattern.compile("(\\d{1,12}) bytes with \\S{1,20} capabilities");

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
        sink.emit(new Alloc(sink.timeNs(), 0, 0, 0, Long.parseLong(m.group(1)), 0));
        return true;
    }
}
