package heapscope.trace;

import java.util.Arrays;

/**
 * Interns call stacks: identical caller lists share one id, so a million events from one call site cost one
 * stack. Frames are unsigned 32-bit return addresses, innermost first, without trailing zero slots.
 * Id 0 is the empty stack.
 */
public final class StackTable {
    private long[] pool = new long[1024];
    private int poolSize;
    private int[] start = new int[64];
    private int[] length = new int[64];
    private int[] hashes = new int[64];
    private int count = 1; // id 0 = empty stack, start 0 length 0
    private int[] slots = new int[128]; // open addressing: id + 1, 0 = free
    private int mask = slots.length - 1;

    /** Returns the id of {@code frames[0..len)}, adding it on first sight. Does not keep {@code frames}. */
    public int intern(long[] frames, int len) {
        if (len == 0) {
            return 0;
        }
        int h = hash(frames, len);
        int i = h & mask;
        while (true) {
            int slot = slots[i];
            if (slot == 0) {
                break;
            }
            int id = slot - 1;
            if (hashes[id] == h && equal(id, frames, len)) {
                return id;
            }
            i = (i + 1) & mask;
        }
        int id = add(frames, len, h);
        slots[i] = id + 1;
        if (count * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    public int intern(long... frames) {
        return intern(frames, frames.length);
    }

    /** Number of stacks, including the empty one. */
    public int size() {
        return count;
    }

    public int depth(int id) {
        return length[id];
    }

    public long frame(int id, int index) {
        return pool[start[id] + index];
    }

    public long[] frames(int id) {
        return Arrays.copyOfRange(pool, start[id], start[id] + length[id]);
    }

    private int add(long[] frames, int len, int h) {
        if (poolSize + len > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + len));
        }
        System.arraycopy(frames, 0, pool, poolSize, len);
        if (count == start.length) {
            start = Arrays.copyOf(start, count * 2);
            length = Arrays.copyOf(length, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        start[count] = poolSize;
        length[count] = len;
        hashes[count] = h;
        poolSize += len;
        return count++;
    }

    private boolean equal(int id, long[] frames, int len) {
        if (length[id] != len) {
            return false;
        }
        int s = start[id];
        for (int k = 0; k < len; k++) {
            if (pool[s + k] != frames[k]) {
                return false;
            }
        }
        return true;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        mask = slots.length - 1;
        for (int id = 1; id < count; id++) {
            int i = hashes[id] & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = id + 1;
        }
    }

    private static int hash(long[] frames, int len) {
        long h = len;
        for (int k = 0; k < len; k++) {
            h = h * 0x9E3779B97F4A7C15L + frames[k];
        }
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
