package heapscope.coredump;

import java.util.List;

/**
 * A task's call stack, innermost first, and why unwinding stopped where it did.
 *
 * @param stopReason in words ("frame did not save the PC", "return address 0x... is not code"), or null when the
 *                   outermost frame was reached normally
 */
public record Backtrace(List<StackFrame> frames, String stopReason) {
    /** Most frames any task is unwound to: a loop in damaged stack memory ends here. */
    public static final int MAX_FRAMES = 64;
}
