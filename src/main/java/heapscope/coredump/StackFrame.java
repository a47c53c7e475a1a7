package heapscope.coredump;

/**
 * One frame of a backtrace.
 *
 * @param pc  the frame's program counter: for frame 0 the instruction that was executing, for the others the return
 *            address (look up {@code pc - 1} for the call's function and line)
 * @param sp  the frame's stack pointer
 * @param how how the frame was found: registers, window, cfi, frame pointer, stack scan
 */
public record StackFrame(long pc, long sp, String how) {
    public boolean isCaller() {
        return !how.equals("registers");
    }
}
