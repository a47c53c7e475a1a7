package heapscope.log;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An allocation the firmware reported as failed, from one log line: the failed-allocation callback of ESP-IDF's heap
 * documentation ({@code FUNC was called but failed to allocate N bytes with 0xCAPS capabilities.}, with any prefix),
 * or the message of ESP-IDF's own abort on failure ({@code Mem alloc fail. size 0x... caps 0x...}).
 *
 * @param caps the capabilities asked for, -1 when the line gives them in a form not read
 */
public record FailedAllocation(long size, long caps) {
    private static final String KEY = " was called but failed to allocate ";
    // the capabilities as the documentation prints them (0x%X), or in decimal (%lu), or as 8 bare hex digits (%04x%04x)
    private static final Pattern SIZE = LinePattern.compile("(\\d{1,12}) bytes with (?:0x([0-9a-fA-F]{1,8})|([0-9a-fA-F]{8})|(\\d{1,10})|\\S{1,20}) capabilities");
    static final Pattern MEM_FAIL = LinePattern.compile("Mem alloc fail\\. size 0x([0-9a-fA-F]{1,8}) caps 0x([0-9a-fA-F]{1,8})");

    /** The failed-allocation callback's message in {@code line}, if it is one. */
    static Optional<FailedAllocation> hook(String line) {
        int i = line.indexOf(KEY);
        if (i < 0) {
            return Optional.empty();
        }
        Matcher m = SIZE.matcher(line).region(i + KEY.length(), line.length());
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        long caps = m.group(2) != null ? Num.hex(m.group(2)) : m.group(3) != null ? Num.hex(m.group(3))
                : m.group(4) != null ? Long.parseLong(m.group(4)) : -1;
        return Optional.of(new FailedAllocation(Long.parseLong(m.group(1)), caps));
    }

    /** Either message in {@code line}. */
    public static Optional<FailedAllocation> in(String line) {
        Optional<FailedAllocation> h = hook(line);
        if (h.isPresent()) {
            return h;
        }
        Matcher m = MEM_FAIL.matcher(line);
        return m.find() ? Optional.of(new FailedAllocation(Num.hex(m.group(1)), Num.hex(m.group(2)))) : Optional.empty();
    }
}
