package heapscope.analysis;

import heapscope.trace.Free;

/**
 * The last blocks freed, with who allocated and who freed them, so that a later use-after-free report can name
 * its block. A ring of primitive arrays: bounded, and a free costs a few stores.
 */
final class RecentlyFreed {
    static final int CAPACITY = 4096;

    private final long[] addresses = new long[CAPACITY];
    private final long[] sizes = new long[CAPACITY];
    private final long[] allocNs = new long[CAPACITY];
    private final long[] freeNs = new long[CAPACITY];
    private final int[] allocStacks = new int[CAPACITY];
    private final int[] freeStacks = new int[CAPACITY];
    private final int[] contexts = new int[CAPACITY];
    private final byte[] cores = new byte[CAPACITY];
    /** Blocks recorded so far; the newest is at {@code (count - 1) % CAPACITY}. */
    private long count;

    /** Live block {@code i} of {@code blocks} is freed by {@code f}: call before it is removed. */
    void add(LiveBlocks blocks, int i, Free f) {
        int k = (int) (count++ % CAPACITY);
        addresses[k] = blocks.address(i);
        sizes[k] = blocks.size(i);
        allocNs[k] = blocks.time(i);
        allocStacks[k] = blocks.stack(i);
        contexts[k] = blocks.context(i);
        cores[k] = (byte) blocks.core(i);
        freeNs[k] = f.timeNs();
        freeStacks[k] = f.stack();
    }

    int size() {
        return (int) Math.min(count, CAPACITY);
    }

    /** Slot of the {@code n}-th newest block (0: the newest), {@code n < size()}. */
    int newest(int n) {
        return (int) ((count - 1 - n) % CAPACITY);
    }

    long address(int k) {
        return addresses[k];
    }

    long size(int k) {
        return sizes[k];
    }

    long allocNs(int k) {
        return allocNs[k];
    }

    long freeNs(int k) {
        return freeNs[k];
    }

    int allocStack(int k) {
        return allocStacks[k];
    }

    int freeStack(int k) {
        return freeStacks[k];
    }

    int context(int k) {
        return contexts[k];
    }

    int core(int k) {
        return cores[k];
    }
}
