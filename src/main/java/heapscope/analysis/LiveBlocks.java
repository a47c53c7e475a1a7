package heapscope.analysis;

import java.util.Arrays;

/**
 * The blocks allocated and not yet freed: their fields in rows, and an index from address to row by open addressing
 * over primitive arrays (no boxing). A block keeps its row while it lives, in a copy too. Memory follows the live set
 * and a million events cost no garbage; a block added costs one random access to the index, and its fields go to the
 * row freed last (still in the cache when blocks come and go) or after the last row. A removal leaves a hole rather
 * than moving a row, which would cost a second random access to the index. Address 0 marks an empty index slot and a
 * hole (the allocator never returns it for a live block).
 */
final class LiveBlocks {
    /** Blocks up to this size are found by probing candidate start addresses; larger ones are few and scanned. */
    static final long PROBE_LIMIT = 1024;
    /** Block starts are this aligned. */
    static final long ALIGN = 4;

    // the index, address -> row: slot k holds the address at 2k and its row at 2k + 1, so a lookup reads one cache line
    private long[] index;
    private int mask;
    /** The slot {@link #find} found last: a removal mostly follows the lookup of its block. */
    private int found;
    // the rows
    private long[] addresses;
    private long[] sizes;
    private long[] times;
    private long[] seqs;
    private int[] stacks;
    private int[] contexts;
    private byte[] cores;
    private byte[] memories; // Alloc.Memory ordinals
    private int[] marks; // a number of the user's per block (the listing that listed it last)
    private int count;
    /** Rows used so far: the blocks and the holes stand in {@code [0, high)}. */
    private int high;
    /** Holes, the last freed on top. */
    private int[] holes = new int[64];
    private int holeCount;
    private long[] large = new long[16]; // addresses of live blocks larger than PROBE_LIMIT
    private int largeCount;
    /** Built when first asked for (by a live view), kept up to date from then on: analyses that never ask pay nothing. */
    private StackTotals perStack;
    /** Rows are chosen by the caller ({@link #putAt}): no holes are kept, and {@link #put} may not be used. */
    private boolean rowsGiven;

    LiveBlocks() {
        index(1024);
        rows(512);
    }

    int size() {
        return count;
    }

    /** Forgets every block (a new heap listing starts); keeps the capacity, which the next listing will need. */
    void clear() {
        Arrays.fill(index, 0);
        count = 0;
        high = 0;
        holeCount = 0;
        largeCount = 0;
        rowsGiven = false;
        if (perStack != null) {
            perStack.clear();
        }
    }

    /** Live bytes and blocks per call stack of this set; the first call walks the set, later ones cost nothing. */
    StackTotals perStack() {
        if (perStack == null) {
            perStack = new StackTotals();
            for (int i = 0; i < high; i++) {
                if (addresses[i] != 0) {
                    perStack.add(stacks[i], sizes[i]);
                }
            }
        }
        return perStack;
    }

    /**
     * Makes this table a copy of {@code other}, row for row (reusing its arrays when they have the room), without
     * the per-stack totals; returns it.
     */
    LiveBlocks copyOf(LiveBlocks other) {
        if (index.length != other.index.length) {
            index(other.index.length / 2);
        }
        System.arraycopy(other.index, 0, index, 0, index.length);
        if (addresses.length < other.high) {
            rows(other.addresses.length);
        }
        int n = other.high;
        System.arraycopy(other.addresses, 0, addresses, 0, n);
        System.arraycopy(other.sizes, 0, sizes, 0, n);
        System.arraycopy(other.times, 0, times, 0, n);
        System.arraycopy(other.seqs, 0, seqs, 0, n);
        System.arraycopy(other.stacks, 0, stacks, 0, n);
        System.arraycopy(other.contexts, 0, contexts, 0, n);
        System.arraycopy(other.cores, 0, cores, 0, n);
        System.arraycopy(other.memories, 0, memories, 0, n);
        System.arraycopy(other.marks, 0, marks, 0, n);
        count = other.count;
        high = n;
        holes = Arrays.copyOf(other.holes, other.holes.length);
        holeCount = other.holeCount;
        large = Arrays.copyOf(other.large, other.large.length);
        largeCount = other.largeCount;
        perStack = null;
        rowsGiven = false;
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
        return k < 0 ? -1 : (int) index[2 * k + 1];
    }

    /** The index slot holding {@code address}, or -1. */
    private int slotOf(long address) {
        int k = slot(address);
        while (true) {
            long key = index[2 * k];
            if (key == address) {
                found = k;
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
        if (rowsGiven) {
            throw new IllegalStateException("a table whose rows follow another's chooses none");
        }
        int k = freeSlot(address);
        if (index[2 * k] != 0) {
            int row = (int) index[2 * k + 1];
            set(row, size, time, seq, stack, context, core, memory);
            return row;
        }
        int i;
        if (holeCount > 0) {
            i = holes[--holeCount];
        } else {
            if (high == addresses.length) {
                rows(high * 2);
            }
            i = high++;
        }
        occupy(k, i, address, size, time, seq, stack, context, core, memory);
        return i;
    }

    /**
     * Puts a block at row {@code i}, a hole or past the last row, for a table kept row for row in step with another
     * that chooses the rows (the other's blocks are where they are here); from then on until a {@link #copyOf} this
     * table keeps no holes of its own.
     */
    void putAt(int i, long address, long size, long time, long seq, int stack, int context, int core, int memory) {
        rowsGiven = true;
        holeCount = 0;
        int k = freeSlot(address);
        if (index[2 * k] != 0 || (i < high && addresses[i] != 0)) {
            throw new IllegalStateException("row " + i + " or address 0x" + Long.toHexString(address) + " is taken");
        }
        if (i >= addresses.length) {
            rows(Math.max(i + 1, 2 * addresses.length));
        }
        if (i >= high) {
            Arrays.fill(addresses, high, i, 0); // holes: rows past the last may hold what a clear() left
            high = i + 1;
        }
        occupy(k, i, address, size, time, seq, stack, context, core, memory);
    }

    /** The index slot of {@code address}, or the empty one where it goes (the index grown first if it must). */
    private int freeSlot(long address) {
        if ((count + 1) * 4L > (mask + 1) * 3L) {
            growIndex();
        }
        int k = slot(address);
        while (index[2 * k] != 0 && index[2 * k] != address) {
            k = (k + 1) & mask;
        }
        return k;
    }

    private void occupy(int k, int i, long address, long size, long time, long seq, int stack, int context, int core, int memory) {
        count++;
        index[2 * k] = address;
        index[2 * k + 1] = i;
        addresses[i] = address;
        marks[i] = 0;
        write(i, true, size, time, seq, stack, context, core, memory);
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

    /** Removes the block in row {@code i}, which becomes a hole. */
    void removeAt(int i) {
        if (perStack != null) {
            perStack.remove(stacks[i], sizes[i]);
        }
        if (sizes[i] > PROBE_LIMIT) {
            removeLarge(addresses[i]);
        }
        long address = addresses[i];
        unindex(index[2 * found] == address ? found : slotOf(address));
        addresses[i] = 0;
        count--;
        if (rowsGiven) {
            return;
        }
        if (holeCount == holes.length) {
            holes = Arrays.copyOf(holes, holeCount * 2);
        }
        holes[holeCount++] = i;
    }

    /** Empties index slot {@code k} (backward-shift deletion keeps probe chains intact). */
    private void unindex(int k) {
        int hole = k;
        int j = k;
        while (true) {
            j = (j + 1) & mask;
            long key = index[2 * j];
            if (key == 0) {
                break;
            }
            int home = slot(key);
            // move j into the hole when its home slot is not cyclically in (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index[2 * hole] = key;
                index[2 * hole + 1] = index[2 * j + 1];
                hole = j;
            }
        }
        index[2 * hole] = 0;
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

    /** The blocks stand in rows {@code [0, rows())}, for a walk; rows that are not {@link #occupied} are holes. */
    int rows() {
        return high;
    }

    boolean occupied(int i) {
        return addresses[i] != 0;
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
        index = new long[2 * capacity];
        mask = capacity - 1;
        found = 0;
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
        long[] old = index;
        index(old.length); // twice the slots
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                int j = slot(old[i]);
                while (index[2 * j] != 0) {
                    j = (j + 1) & mask;
                }
                index[2 * j] = old[i];
                index[2 * j + 1] = old[i + 1];
            }
        }
    }
}
