package heapscope.log;

import heapscope.trace.StackTable;

/**
 * Interns a caller list as the device prints it, {@code 0x40376183:0x4037da9c:} (trailing colons and unused
 * zero slots included): frames up to the first zero, at most {@link #MAX} of them.
 */
final class CallerList {
    static final int MAX = 64;

    private final long[] frames = new long[MAX];

    int intern(String list, StackTable stacks) {
        int n = 0;
        for (String part : list.split(":")) {
            if (part.isEmpty()) {
                continue;
            }
            long pc = Num.hex(part);
            if (pc == 0) {
                break;
            }
            if (n < MAX) {
                frames[n++] = pc;
            }
        }
        return stacks.intern(frames, n);
    }
}
