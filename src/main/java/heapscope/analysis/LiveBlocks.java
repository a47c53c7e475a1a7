package heapscope.analysis;

import java.util.Arrays;

/**
 * The blocks allocated and not yet freed, keyed by address: open addressing over primitive arrays (no boxing),
 * so memory follows the live set and a million events cost no garbage. Address 0 marks an empty slot (the
 * allocator never returns it for a live block).
 */
final class LiveBlocks {
    /** Blocks up to this size are found by probing candidate start addresses; larger ones are few and scanned. */
    static final long PROBE_LIMIT = 1024;
    /** Block starts are this aligned. */
    static final long ALIGN = 4;

    private long[] keys;
    private long[] sizes;
    private long[] times;
    private long[] seqs;
    private int[] stacks;
    private int[] contexts;
    private byte[] cores;
    private byte[] memories; // Alloc.Memory ordinals
    private int mask;
    private int count;
    private long[] large = new long[16]; // addresses of live blocks larger than PROBE_LIMIT
    private int largeCount;
    /** Built when first asked for (by a live view), kept up to date from then on: analyses that never ask pay nothing. */
    private StackTotals perStack;

    LiveBlocks() {
        allocate(1024);
    }

    int size() {
        return count;
    }

    /** Forgets every block (a new heap listing starts); keeps the capacity, which the next listing will need. */
    void clear() {
        Arrays.fill(keys, 0);
        count = 0;
        largeCount = 0;
        if (perStack != null) {
            perStack.clear();
        }
    }

    /** Live bytes and blocks per call stack of this set; the first call walks the set, later ones cost nothing. */
    StackTotals perStack() {
        if (perStack == null) {
            perStack = new StackTotals();
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0) {
                    perStack.add(stacks[i], sizes[i]);
                }
            }
        }
        return perStack;
    }

    /**
     * Makes this table a copy of {@code other}, slot for slot (reusing its arrays when they have the size), without
     * the per-stack totals; returns it.
     */
    LiveBlocks copyOf(LiveBlocks other) {
        if (keys.length != other.keys.length) {
            allocate(other.keys.length);
        }
        int n = keys.length;
        System.arraycopy(other.keys, 0, keys, 0, n);
        System.arraycopy(other.sizes, 0, sizes, 0, n);
        System.arraycopy(other.times, 0, times, 0, n);
        System.arraycopy(other.seqs, 0, seqs, 0, n);
        System.arraycopy(other.stacks, 0, stacks, 0, n);
        System.arraycopy(other.contexts, 0, contexts, 0, n);
        System.arraycopy(other.cores, 0, cores, 0, n);
        System.arraycopy(other.memories, 0, memories, 0, n);
        count = other.count;
        large = Arrays.copyOf(other.large, other.large.length);
        largeCount = other.largeCount;
        perStack = null;
        return this;
    }

    /** Sets the seq field of the block in slot {@code i} (a copy may use it for a number of its own). */
    void setSeq(int i, long seq) {
        seqs[i] = seq;
    }

    /** Slot of the block a corruption report at {@code address} concerns: the block itself, its head canary
     *  8 bytes before it, or its tail just past its end. -1 when no live block is that close. */
    int near(long address) {
        for (long candidate : new long[] {address, address + 8}) {
            int i = find(candidate);
            if (i >= 0) {
                return i;
            }
        }
        int i = findContaining(address);
        if (i < 0) {
            i = find(address - 1) >= 0 ? find(address - 1) : findContaining(address - 1);
        }
        return i;
    }

    /** Slot of {@code address}, or -1. */
    int find(long address) {
        int i = slot(address);
        while (true) {
            long k = keys[i];
            if (k == address) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    void put(long address, long size, long time, long seq, int stack, int context, int core, int memory) {
        if ((count + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int i = slot(address);
        while (keys[i] != 0 && keys[i] != address) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            count++;
        } else {
            if (perStack != null) {
                perStack.remove(stacks[i], sizes[i]);
            }
            if (sizes[i] > PROBE_LIMIT) {
                removeLarge(address);
            }
        }
        if (perStack != null) {
            perStack.add(stack, size);
        }
        keys[i] = address;
        sizes[i] = size;
        times[i] = time;
        seqs[i] = seq;
        stacks[i] = stack;
        contexts[i] = context;
        cores[i] = (byte) core;
        memories[i] = (byte) memory;
        if (size > PROBE_LIMIT) {
            if (largeCount == large.length) {
                large = Arrays.copyOf(large, largeCount * 2);
            }
            large[largeCount++] = address;
        }
    }

    /** Removes the block in slot {@code i} (backward-shift deletion keeps probe chains intact). */
    void removeAt(int i) {
        if (perStack != null) {
            perStack.remove(stacks[i], sizes[i]);
        }
        if (sizes[i] > PROBE_LIMIT) {
            removeLarge(keys[i]);
        }
        count--;
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long k = keys[j];
            if (k == 0) {
                break;
            }
            int home = slot(k);
            // move j into the hole when its home slot is not cyclically in (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                move(j, hole);
                hole = j;
            }
        }
        keys[hole] = 0;
    }

    /** Slot of the live block whose bytes contain {@code address} (start excluded), or -1. */
    int findContaining(long address) {
        for (long start = (address - 1) & ~(ALIGN - 1); start > 0 && address - start <= PROBE_LIMIT; start -= ALIGN) {
            int i = find(start);
            if (i >= 0) {
                return address < start + sizes[i] ? i : -1;
            }
        }
        for (int k = 0; k < largeCount; k++) {
            int i = find(large[k]);
            if (i >= 0 && address > keys[i] && address < keys[i] + sizes[i]) {
                return i;
            }
        }
        return -1;
    }

    long address(int i) {
        return keys[i];
    }

    long size(int i) {
        return sizes[i];
    }

    long time(int i) {
        return times[i];
    }

    long seq(int i) {
        return seqs[i];
    }

    int stack(int i) {
        return stacks[i];
    }

    int context(int i) {
        return contexts[i];
    }

    int core(int i) {
        return cores[i];
    }

    int memory(int i) {
        return memories[i];
    }

    /** Occupied slots, for a final walk. */
    int capacity() {
        return keys.length;
    }

    boolean occupied(int i) {
        return keys[i] != 0;
    }

    private void removeLarge(long address) {
        for (int k = 0; k < largeCount; k++) {
            if (large[k] == address) {
                large[k] = large[--largeCount];
                return;
            }
        }
    }

    private void move(int from, int to) {
        keys[to] = keys[from];
        sizes[to] = sizes[from];
        times[to] = times[from];
        seqs[to] = seqs[from];
        stacks[to] = stacks[from];
        contexts[to] = contexts[from];
        cores[to] = cores[from];
        memories[to] = memories[from];
    }

    private int slot(long address) {
        long h = address * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        sizes = new long[capacity];
        times = new long[capacity];
        seqs = new long[capacity];
        stacks = new int[capacity];
        contexts = new int[capacity];
        cores = new byte[capacity];
        memories = new byte[capacity];
        mask = capacity - 1;
    }

    private void grow() {
        long[] k = keys, sz = sizes, t = times, sq = seqs;
        int[] st = stacks, cx = contexts;
        byte[] co = cores, me = memories;
        allocate(keys.length * 2);
        count = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                int j = slot(k[i]);
                while (keys[j] != 0) {
                    j = (j + 1) & mask;
                }
                keys[j] = k[i];
                sizes[j] = sz[i];
                times[j] = t[i];
                seqs[j] = sq[i];
                stacks[j] = st[i];
                contexts[j] = cx[i];
                cores[j] = co[i];
                memories[j] = me[i];
                count++;
            }
        }
    }
}
