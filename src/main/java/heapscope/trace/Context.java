package heapscope.trace;

/** Where code ran when an event happened: a task, an interrupt handler, the idle loop, or not known. */
public record Context(Kind kind, String name) {
    public enum Kind { TASK, ISR, IDLE, UNKNOWN }

    public static final Context UNKNOWN = new Context(Kind.UNKNOWN, "?");

    /** The way ESP-IDF's tools print a context: {@code task "main"}, {@code IRQ "SysTick"}. */
    public String describe() {
        return switch (kind) {
            case TASK, IDLE -> "task \"" + name + "\"";
            case ISR -> "IRQ \"" + name + "\"";
            case UNKNOWN -> "unknown context";
        };
    }

    public boolean isr() {
        return kind == Kind.ISR;
    }
}
