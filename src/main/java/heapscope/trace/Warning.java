package heapscope.trace;

/**
 * Something a decoder noticed but could work around: damaged bytes, lost events, unknown ids.
 * {@code position} is a byte offset or a line number in {@code source} as {@code unit} says, or -1.
 */
public record Warning(String source, Unit unit, long position, String message) {
    public enum Unit { BYTE, LINE, NONE }

    /** One line, naming the place: {@code heap_log0.svdat: byte 1234: truncated packet}. */
    public String format() {
        return switch (unit) {
            case BYTE -> source + ": byte " + position + ": " + message;
            case LINE -> source + ": line " + position + ": " + message;
            case NONE -> source + ": " + message;
        };
    }
}
