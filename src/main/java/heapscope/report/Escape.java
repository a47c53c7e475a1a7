package heapscope.report;

/** Makes text from the device or the ELF safe to print. JSON escaping is Jackson's job; HTML has its own. */
public final class Escape {
    private Escape() {
    }

    /**
     * For a terminal: control characters (C0, DEL, C1) become visible escapes, so a task name or log line cannot
     * move the cursor, change colours or rewrite the screen; so do the line and paragraph separators (U+2028,
     * U+2029), which would split one line of output in two, and Unicode's bidi controls (U+061C, U+200E, U+200F,
     * U+202A-U+202E, U+2066-U+2069), which would show text in another order than it is.
     */
    public static String terminal(String s) {
        int i = 0;
        while (i < s.length() && !control(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!control(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c <= 0xFF) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean control(char c) {
        if (c < 0x7F) {
            return c < 0x20;
        }
        return c <= 0x9F || c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }
}
