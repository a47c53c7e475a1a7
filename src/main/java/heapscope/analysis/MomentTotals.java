package heapscope.analysis;

import java.util.Arrays;

/**
 * Bytes and blocks per key (a call stack, a size class, a memory window) as blocks come and go, and the same
 * totals as they were at one chosen moment. Taking a moment copies only the keys changed since the last one:
 * each change marks one key, so over a capture the copies cost no more than the changes, however often a new
 * peak is reached, and what is kept is exact.
 */
final class MomentTotals {
    private long[] bytes = new long[64];
    private long[] blocks = new long[64];
    private long[] atBytes = new long[64];
    private long[] atBlocks = new long[64];
    private int[] changed = new int[64];
    private boolean[] marked = new boolean[64];
    private int changes;
    private int highest = -1;

    void add(int key, long size) {
        if (key >= bytes.length) {
            grow(key);
        }
        bytes[key] += size;
        blocks[key]++;
        mark(key);
    }

    void remove(int key, long size) {
        bytes[key] -= size;
        blocks[key]--;
        mark(key);
    }

    private void mark(int key) {
        if (!marked[key]) {
            marked[key] = true;
            changed[changes++] = key;
        }
    }

    private void grow(int key) {
        int n = Math.max(key + 1, bytes.length * 2);
        bytes = Arrays.copyOf(bytes, n);
        blocks = Arrays.copyOf(blocks, n);
        atBytes = Arrays.copyOf(atBytes, n);
        atBlocks = Arrays.copyOf(atBlocks, n);
        changed = Arrays.copyOf(changed, n);
        marked = Arrays.copyOf(marked, n);
    }

    /** The totals now become the moment's. */
    void take() {
        for (int i = 0; i < changes; i++) {
            int key = changed[i];
            atBytes[key] = bytes[key];
            atBlocks[key] = blocks[key];
            marked[key] = false;
            highest = Math.max(highest, key);
        }
        changes = 0;
    }

    /** Forgets the totals now (a heap listing replaces the live set), not the moment. */
    void clear() {
        for (int key = 0; key < bytes.length; key++) {
            if (blocks[key] != 0 || bytes[key] != 0) {
                bytes[key] = 0;
                blocks[key] = 0;
                mark(key);
            }
        }
    }

    long bytesNow(int key) {
        return key < bytes.length ? bytes[key] : 0;
    }

    long blocksNow(int key) {
        return key < blocks.length ? blocks[key] : 0;
    }

    /** Keys up to this one may hold something at the moment. */
    int highest() {
        return highest;
    }

    long bytesAt(int key) {
        return key < atBytes.length ? atBytes[key] : 0;
    }

    long blocksAt(int key) {
        return key < atBlocks.length ? atBlocks[key] : 0;
    }
}
