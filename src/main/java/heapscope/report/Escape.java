package heapscope.report;

/** Makes text from the device or the ELF safe to print. JSON escaping is Jackson's job; HTML has its own. */
public final class Escape {
    private Escape() {
    }

    /**
     * For a terminal: control characters (C0, DEL, C1) become visible escapes, so a task name or log line cannot
     * move the cursor, change colours or rewrite the screen.
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
            } else {
                out.append(String.format("\\x%02x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean control(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }
}
