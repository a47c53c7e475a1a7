package heapscope.analysis;

import java.util.Arrays;

/**
 * The blocks allocated and not yet freed: their fields in dense rows, in the order they came (a removal moves the last
 * row into the hole), and an index from address to row by open addressing over primitive arrays (no boxing). Memory
 * follows the live set and a million events cost no garbage; a block added costs one random access to the index,
 * its fields are written where the last one's were, and a walk or a copy touches the rows in use only. Address 0
 * marks an empty index slot (the allocator never returns it for a live block).
 */
final class LiveBlocks {
    /** Blocks up to this size are found by probing candidate start addresses; larger ones are few and scanned. */
    static final long PROBE_LIMIT = 1024;
    /** Block starts are this aligned. */
    static final long ALIGN = 4;

    // the index: address -> row
    private long[] keys;
    private int[] rowOf;
    private int mask;
    // the rows
    private long[] addresses;
    private long[] sizes;
    private long[] times;
    private long[] seqs;
    private int[] stacks;
    private int[] contexts;
    private byte[] cores;
    private byte[] memories; // Alloc.Memory ordinals
    private int[] marks; // a number of the user's per block (the listing that listed it last), moved with its row
    private int count;
    private long[] large = new long[16]; // addresses of live blocks larger than PROBE_LIMIT
    private int largeCount;
    /** Built when first asked for (by a live view), kept up to date from then on: analyses that never ask pay nothing. */
    private StackTotals perStack;

    LiveBlocks() {
        index(1024);
        rows(512);
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
            for (int i = 0; i < count; i++) {
                perStack.add(stacks[i], sizes[i]);
            }
        }
        return perStack;
    }

    /**
     * Makes this table a copy of {@code other}, row for row (reusing its arrays when they have the room), without
     * the per-stack totals; returns it.
     */
    LiveBlocks copyOf(LiveBlocks other) {
        if (keys.length != other.keys.length) {
            index(other.keys.length);
        }
        System.arraycopy(other.keys, 0, keys, 0, keys.length);
        System.arraycopy(other.rowOf, 0, rowOf, 0, keys.length);
        if (addresses.length < other.count) {
            rows(other.addresses.length);
        }
        int n = other.count;
        System.arraycopy(other.addresses, 0, addresses, 0, n);
        System.arraycopy(other.sizes, 0, sizes, 0, n);
        System.arraycopy(other.times, 0, times, 0, n);
        System.arraycopy(other.seqs, 0, seqs, 0, n);
        System.arraycopy(other.stacks, 0, stacks, 0, n);
        System.arraycopy(other.contexts, 0, contexts, 0, n);
        System.arraycopy(other.cores, 0, cores, 0, n);
        System.arraycopy(other.memories, 0, memories, 0, n);
        System.arraycopy(other.marks, 0, marks, 0, n);
        count = n;
        large = Arrays.copyOf(other.large, other.large.length);
        largeCount = other.largeCount;
        perStack = null;
        return this;
    }

    /** Sets the seq field of the block in row {@code i} (a copy may use it for a number of its own). */
    void setSeq(int i, long seq) {
        seqs[i] = seq;
    }

    int mark(int i) {
        return marks[i];
    }

    void setMark(int i, int mark) {
        marks[i] = mark;
    }

    /** Row of the block a corruption report at {@code address} concerns: the block itself, its head canary
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

    /** Row of {@code address}, or -1. */
    int find(long address) {
        int k = slotOf(address);
        return k < 0 ? -1 : rowOf[k];
    }

    /** The index slot holding {@code address}, or -1. */
    private int slotOf(long address) {
        int k = slot(address);
        while (true) {
            long key = keys[k];
            if (key == address) {
                return k;
            }
            if (key == 0) {
                return -1;
            }
            k = (k + 1) & mask;
        }
    }

    /** Adds the block, or replaces the one at its address; returns its row. A new row's mark is 0. */
    int put(long address, long size, long time, long seq, int stack, int context, int core, int memory) {
        if ((count + 1) * 4L > keys.length * 3L) {
            growIndex();
        }
        int k = slot(address);
        while (keys[k] != 0 && keys[k] != address) {
            k = (k + 1) & mask;
        }
        if (keys[k] != 0) {
            set(rowOf[k], size, time, seq, stack, context, core, memory);
            return rowOf[k];
        }
        if (count == addresses.length) {
            rows(count * 2);
        }
        int i = count++;
        keys[k] = address;
        rowOf[k] = i;
        addresses[i] = address;
        marks[i] = 0;
        write(i, true, size, time, seq, stack, context, core, memory);
        return i;
    }

    /** Replaces the fields of the block in row {@code i} (its address stays): no lookup. */
    void set(int i, long size, long time, long seq, int stack, int context, int core, int memory) {
        write(i, false, size, time, seq, stack, context, core, memory);
    }

    /** Writes row {@code i}'s fields; {@code fresh}: the row is new, with no block to take off the totals. */
    private void write(int i, boolean fresh, long size, long time, long seq, int stack, int context, int core, int memory) {
        long address = addresses[i];
        if (perStack != null) {
            if (!fresh) {
                perStack.remove(stacks[i], sizes[i]);
            }
            perStack.add(stack, size);
        }
        if (!fresh && sizes[i] > PROBE_LIMIT) {
            removeLarge(address);
        }
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

    /** Removes the block in row {@code i}: the last row moves into it. */
    void removeAt(int i) {
        if (perStack != null) {
            perStack.remove(stacks[i], sizes[i]);
        }
        if (sizes[i] > PROBE_LIMIT) {
            removeLarge(addresses[i]);
        }
        unindex(slotOf(addresses[i]));
        int last = --count;
        if (i != last) {
            rowOf[slotOf(addresses[last])] = i;
            addresses[i] = addresses[last];
            sizes[i] = sizes[last];
            times[i] = times[last];
            seqs[i] = seqs[last];
            stacks[i] = stacks[last];
            contexts[i] = contexts[last];
            cores[i] = cores[last];
            memories[i] = memories[last];
            marks[i] = marks[last];
        }
    }

    /** Empties index slot {@code k} (backward-shift deletion keeps probe chains intact). */
    private void unindex(int k) {
        int hole = k;
        int j = k;
        while (true) {
            j = (j + 1) & mask;
            long key = keys[j];
            if (key == 0) {
                break;
            }
            int home = slot(key);
            // move j into the hole when its home slot is not cyclically in (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = key;
                rowOf[hole] = rowOf[j];
                hole = j;
            }
        }
        keys[hole] = 0;
    }

    /** Row of the live block whose bytes contain {@code address} (start excluded), or -1. */
    int findContaining(long address) {
        return findContaining(address, ANY);
    }

    /** Marks no block has: {@link #findContaining(long, int)} then looks at every block. */
    static final int ANY = Integer.MIN_VALUE;

    /** The same among the blocks marked {@code mark} only (unless it is {@link #ANY}). */
    int findContaining(long address, int mark) {
        for (long start = (address - 1) & ~(ALIGN - 1); start > 0 && address - start <= PROBE_LIMIT; start -= ALIGN) {
            int i = find(start);
            if (i >= 0 && (mark == ANY || marks[i] == mark)) {
                return address < start + sizes[i] ? i : -1;
            }
        }
        for (int k = 0; k < largeCount; k++) {
            int i = find(large[k]);
            if (i >= 0 && (mark == ANY || marks[i] == mark) && address > addresses[i] && address < addresses[i] + sizes[i]) {
                return i;
            }
        }
        return -1;
    }

    long address(int i) {
        return addresses[i];
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

    /** The blocks stand in rows {@code [0, rows())}, for a walk. */
    int rows() {
        return count;
    }

    private void removeLarge(long address) {
        for (int k = 0; k < largeCount; k++) {
            if (large[k] == address) {
                large[k] = large[--largeCount];
                return;
            }
        }
    }

    private int slot(long address) {
        long h = address * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private void index(int capacity) {
        keys = new long[capacity];
        rowOf = new int[capacity];
        mask = capacity - 1;
    }

    private void rows(int capacity) {
        int n = Math.max(capacity, 16);
        addresses = addresses == null ? new long[n] : Arrays.copyOf(addresses, n);
        sizes = sizes == null ? new long[n] : Arrays.copyOf(sizes, n);
        times = times == null ? new long[n] : Arrays.copyOf(times, n);
        seqs = seqs == null ? new long[n] : Arrays.copyOf(seqs, n);
        stacks = stacks == null ? new int[n] : Arrays.copyOf(stacks, n);
        contexts = contexts == null ? new int[n] : Arrays.copyOf(contexts, n);
        cores = cores == null ? new byte[n] : Arrays.copyOf(cores, n);
        memories = memories == null ? new byte[n] : Arrays.copyOf(memories, n);
        marks = marks == null ? new int[n] : Arrays.copyOf(marks, n);
    }

    private void growIndex() {
        long[] k = keys;
        int[] r = rowOf;
        index(keys.length * 2);
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                int j = slot(k[i]);
                while (keys[j] != 0) {
                    j = (j + 1) & mask;
                }
                keys[j] = k[i];
                rowOf[j] = r[i];
            }
        }
    }
}
