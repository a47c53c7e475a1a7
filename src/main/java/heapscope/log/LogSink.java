package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Condition;
import heapscope.trace.Event;
import heapscope.trace.Recording;

/** What parsers write to: events in log order, warnings, the recording's tables, and the log's clock. */
interface LogSink {
    void emit(Event event);

    /** Something on {@code line} could not be decoded and was skipped. */
    void warn(long line, String message);

    /** The log stops inside something on {@code line}: data is missing, and reports say so up front. */
    void damage(long line, String message);

    /**
     * Something makes the capture's figures partial (see {@link Condition}); REASON and ACTION as it says. A later
     * condition of the same kind replaces an earlier one: the last listing is the one the leaks come from.
     */
    void condition(Condition.Kind kind, String reason, String action);

    Recording recording();

    /** Time of the current line in ns: its own timestamp, or the last one seen before it. */
    long timeNs();

    /** Whether the current line, or one before it, carried a timestamp. */
    boolean timed();

    /** The last allocation emitted as failed so far, or null: what a core dump after it may have crashed on. */
    default Alloc lastFailedAllocation() {
        return null;
    }
}
