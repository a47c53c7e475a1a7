package heapscope.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Code addresses a log names itself: idf.py monitor decodes every code address it prints against the build's ELF
 * and adds {@code --- 0x4200a1b6: app_main at main.c:12} (and {@code (inlined by)} lines) to the log. Without an
 * ELF these are the only names a report has; with one they tell whether it is the ELF the monitor used.
 */
public final class LogNames {
    /** Distinct addresses kept; a capture has a few thousand, a hostile log must not grow memory without bound. */
    public static final int MAX_ADDRESSES = 1 << 18;

    /**
     * One source frame as the log printed it, innermost first.
     *
     * @param function the function, or null when the log gave only its file
     * @param file     the source file, or null when the log gave none ({@code ??:?}, ROM)
     * @param line     its line, 0 when not given
     */
    public record Name(String function, String file, int line) {
    }

    private final Map<Long, List<Name>> names = new HashMap<>();

    /** The log's frames for an address as it printed it; empty when it named none. */
    public List<Name> get(long address) {
        return names.getOrDefault(address, List.of());
    }

    /** Whether the log named {@code address}. */
    public boolean named(long address) {
        return names.containsKey(address);
    }

    /** Whether the log named any address. */
    public boolean isEmpty() {
        return names.isEmpty();
    }

    public int size() {
        return names.size();
    }

    /** Every named address with its frames. */
    public Map<Long, List<Name>> all() {
        return Collections.unmodifiableMap(names);
    }

    /**
     * Starts the frames of an address; the first naming of an address stands (one build decodes it alike each
     * time). Returns whether this one was taken, so that its {@code (inlined by)} lines are added to it only.
     */
    public boolean name(long address, Name innermost) {
        if (names.containsKey(address) || names.size() >= MAX_ADDRESSES) {
            return false;
        }
        names.put(address, List.of(innermost));
        return true;
    }

    /** Adds the function the address's last frame is inlined into. */
    public void inlinedInto(long address, Name outer) {
        List<Name> frames = names.get(address);
        if (frames != null && frames.size() < 64) {
            List<Name> longer = new ArrayList<>(frames);
            longer.add(outer);
            names.put(address, List.copyOf(longer));
        }
    }
}
