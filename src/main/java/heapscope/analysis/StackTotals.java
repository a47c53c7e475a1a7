package heapscope.analysis;

import java.util.Arrays;

/**
 * Live bytes and blocks per call stack of one live set, kept up to date as blocks come and go, so that a live
 * view can name the largest stacks at the cost of one scan of two primitive arrays, not a walk of the set.
 */
final class StackTotals {
    private long[] bytes = new long[64];
    private long[] blocks = new long[64];
    private int stacks; // stacks holding at least one block
    private int highest = -1; // highest stack id touched since the last clear

    void add(int stack, long size) {
        if (stack >= bytes.length) {
            int n = Math.max(stack + 1, bytes.length * 2);
            bytes = Arrays.copyOf(bytes, n);
            blocks = Arrays.copyOf(blocks, n);
        }
        if (blocks[stack]++ == 0) {
            stacks++;
        }
        bytes[stack] += size;
        highest = Math.max(highest, stack);
    }

    void remove(int stack, long size) {
        bytes[stack] -= size;
        if (--blocks[stack] == 0) {
            stacks--;
        }
    }

    void clear() {
        Arrays.fill(bytes, 0, highest + 1, 0);
        Arrays.fill(blocks, 0, highest + 1, 0);
        stacks = 0;
        highest = -1;
    }

    /** Stacks holding at least one live block. */
    int stacks() {
        return stacks;
    }

    long bytes(int stack) {
        return bytes[stack];
    }

    long blocks(int stack) {
        return blocks[stack];
    }

    /** The at most {@code k} stacks holding the most live bytes, largest first; of equal ones the lower id. */
    int[] top(int k) {
        int[] top = new int[k];
        int n = 0;
        for (int stack = 0; stack <= highest; stack++) {
            if (blocks[stack] == 0) {
                continue;
            }
            int at = n;
            while (at > 0 && bytes[top[at - 1]] < bytes[stack]) {
                at--;
            }
            if (at < k) {
                System.arraycopy(top, at, top, at + 1, Math.min(n, k - 1) - at);
                top[at] = stack;
                n = Math.min(n + 1, k);
            }
        }
        return Arrays.copyOf(top, n);
    }
}
