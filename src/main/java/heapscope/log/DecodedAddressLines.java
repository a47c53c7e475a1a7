package heapscope.log;

import heapscope.trace.LogNames;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the names a decoder on the host added to the log, into the recording's {@link LogNames}: idf.py monitor's
 * {@code --- 0x4200a1b6: app_main at /src/main.c:12} with {@code --- (inlined by) caller at file:line} lines,
 * older monitors' {@code 0x400889bb: f at file:line} with {@code  (inlined by) ...}, {@code f in ROM},
 * {@code ??:?} for an unknown file and addr2line's {@code (discriminator N)}. Other decorations (gdb's
 * {@code #0 0x... in f ()}) name nothing here.
 */
final class DecodedAddressLines {
    private static final Pattern ADDRESS = LinePattern.compile("^(?:--- )?0x([0-9a-fA-F]{8}): (.+)$");
    private static final Pattern INLINED = LinePattern.compile("^(?:--- )?\\(inlined by\\) (.+)$");
    private static final Pattern AT = LinePattern.compile("^(.+?) at (.+?)(?::(\\d{1,9}|\\?))?$");
    /** addr2line's "nothing known" without " at ": {@code ?? ??:0}. */
    private static final Pattern NOTHING = LinePattern.compile("^\\?\\? \\?\\?:[0-9?]{1,9}$");
    private static final Pattern DISCRIMINATOR = LinePattern.compile(" \\(discriminator \\d{1,9}\\)$");

    private final LogNames names;
    private long open = -1; // the address whose inline chain the next "(inlined by)" line continues

    DecodedAddressLines(LogNames names) {
        this.names = names;
    }

    /** One decoration line's text, cleaned. */
    void accept(String text) {
        String t = text.strip();
        long named = namedAddress(t);
        if (named >= 0) {
            open = -1; // named before, and the first naming stands: most of a monitor's lines repeat a few addresses
            return;
        }
        if (open < 0 && !t.startsWith("0x") && !t.startsWith("--- 0x")) {
            return; // an "(inlined by)" line with no frame to continue, or a decoration that names nothing
        }
        Matcher a = ADDRESS.matcher(t);
        if (a.matches()) {
            long address = Long.parseLong(a.group(1), 16);
            LogNames.Name name = name(a.group(2));
            open = name != null && names.name(address, name) ? address : -1;
            return;
        }
        Matcher i = INLINED.matcher(t);
        LogNames.Name outer = i.matches() && open >= 0 ? name(i.group(1)) : null;
        if (outer != null) {
            names.inlinedInto(open, outer);
        } else {
            open = -1;
        }
    }

    /**
     * The address {@code t} names when it is an address line ({@link #ADDRESS}) for an address the log named before,
     * read without a regex; else -1.
     */
    private long namedAddress(String t) {
        int at = t.startsWith("--- ") ? 4 : 0;
        if (t.length() < at + 13 || !t.startsWith("0x", at) || t.charAt(at + 10) != ':' || t.charAt(at + 11) != ' ') {
            return -1;
        }
        long address = 0;
        for (int i = at + 2; i < at + 10; i++) {
            int d = Character.digit(t.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            address = address << 4 | d;
        }
        return names.named(address) ? address : -1;
    }

    /** A frame as addr2line printed it, or null when it names nothing ({@code ?? ??:0}, {@code (unknown)}). */
    static LogNames.Name name(String printed) {
        String s = DISCRIMINATOR.matcher(printed.strip()).replaceFirst("");
        if (NOTHING.matcher(s).matches() || s.equals("(unknown)")) {
            return null;
        }
        if (s.endsWith(" in ROM")) {
            String function = s.substring(0, s.length() - " in ROM".length());
            return known(function) ? new LogNames.Name(function, null, 0) : null;
        }
        Matcher m = AT.matcher(s);
        String function = m.matches() ? m.group(1) : s;
        String file = m.matches() && known(m.group(2)) ? m.group(2) : null;
        int line = m.matches() && m.group(3) != null && !m.group(3).equals("?") ? Integer.parseInt(m.group(3)) : 0;
        if (!known(function) && file == null) {
            return null;
        }
        return new LogNames.Name(known(function) ? function : null, file, file == null ? 0 : line);
    }

    private static boolean known(String s) {
        return !s.isEmpty() && !s.equals("??");
    }
}
