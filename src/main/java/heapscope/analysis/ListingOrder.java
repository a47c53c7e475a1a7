package heapscope.analysis;

import java.util.Arrays;

/**
 * The blocks of the listing being read in the order it listed them, and those of the last complete listing, while
 * they are exactly the live set before the current listing. A dump lists the blocks in the order the device keeps
 * them, so a block listed again is mostly at the place the last listing had it: comparing there, in order, tells
 * "listed again" without a hash lookup in a set as large as the listing (one cache miss per record).
 */
final class ListingOrder {
    /** How far ahead of the expected place a block is looked for: past the blocks freed since the last listing. */
    private static final int REACH = 4;

    private Sequence current = new Sequence();
    private Sequence last = new Sequence();
    /** {@link #last} holds exactly the blocks of the set before the current listing, each once. */
    private boolean lastExact;
    /** The current listing only added blocks at addresses it had not listed yet: its sequence is its set. */
    private boolean clean;
    private int cursor;

    /** A listing starts, into a fresh set. */
    void start() {
        current.count = 0;
        clean = true;
        cursor = 0;
    }

    /** A block added to the set of the listing being read; {@code replaced} when one was at its address. */
    void added(long address, long size, int stack, boolean replaced) {
        clean &= !replaced;
        if (clean) {
            current.add(address, size, stack);
        }
    }

    /** A block left the listing's set (a record's "freed" mark). */
    void removed() {
        clean = false;
    }

    /** The set changed outside any listing: the last listing is no longer the set before the next one. */
    void changed() {
        lastExact = false;
    }

    /** The listing is complete: it is the set now. */
    void keep() {
        Sequence s = last;
        last = current;
        current = s;
        lastExact = clean;
    }

    /**
     * Whether the set before the listing certainly holds this block (same address, size and call stack) by its place
     * in the last listing; false means only "not found that way".
     */
    boolean listedAgain(long address, long size, int stack) {
        if (!lastExact) {
            return false;
        }
        Sequence s = last;
        for (int k = cursor, end = Math.min(s.count, cursor + REACH); k < end; k++) {
            if (s.addresses[k] == address && s.sizes[k] == size && s.stacks[k] == stack) {
                cursor = k + 1;
                return true;
            }
        }
        return false;
    }

    private static final class Sequence {
        long[] addresses = new long[1024];
        long[] sizes = new long[1024];
        int[] stacks = new int[1024];
        int count;

        void add(long address, long size, int stack) {
            if (count == addresses.length) {
                addresses = Arrays.copyOf(addresses, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
                stacks = Arrays.copyOf(stacks, count * 2);
            }
            addresses[count] = address;
            sizes[count] = size;
            stacks[count++] = stack;
        }
    }
}
