package heapscope.analysis;

import heapscope.trace.Alloc;

/**
 * The blocks alive now and their bytes. While a heap listing is read, the listing fills a fresh set and the one
 * before it is kept: shown meanwhile, compared against, and restored if the listing is cut off.
 */
final class LiveSet {
    private LiveBlocks blocks = new LiveBlocks();
    private long bytes;
    /** Order of allocation, across listings: the report lists blocks oldest first. */
    private long seq;
    /** The set as the last listing left it, while a new listing is read; null outside listings. */
    private LiveBlocks before;
    private long beforeBytes;
    /** A set no longer needed, kept to read the next listing into: its tables have already grown to a listing's size. */
    private LiveBlocks spare;
    private final ListingOrder order = new ListingOrder();

    LiveBlocks blocks() {
        return blocks;
    }

    long bytes() {
        return bytes;
    }

    /** The allocation number the next block gets: blocks numbered below it were allocated before now. */
    long nextSeq() {
        return seq;
    }

    int find(long address) {
        return blocks.find(address);
    }

    /**
     * Adds the block {@code a} allocates, in place of the live one {@link #find} found at its address in slot
     * {@code i} (-1: none); returns the live bytes.
     */
    long add(Alloc a, int i) {
        if (i >= 0) {
            bytes -= blocks.size(i);
        }
        if (before != null) {
            order.added(a.address(), a.size(), a.stack(), i >= 0);
        } else {
            order.changed();
        }
        blocks.put(a.address(), a.size(), a.timeNs(), seq++, a.stack(), a.context(), a.core(), a.memory().ordinal());
        bytes += a.size();
        return bytes;
    }

    /** Removes the block in slot {@code i}; returns the live bytes. */
    long removeAt(int i) {
        bytes -= blocks.size(i);
        blocks.removeAt(i);
        if (before != null) {
            order.removed();
        } else {
            order.changed();
        }
        return bytes;
    }

    /** A listing starts: it fills a fresh set. One starting inside another (garbled logs) keeps the set before both. */
    void startListing() {
        LiveBlocks next = spare != null ? spare : new LiveBlocks();
        next.clear();
        spare = null;
        if (before == null) {
            before = blocks;
            beforeBytes = bytes;
        } else {
            spare = blocks;
        }
        blocks = next;
        bytes = 0;
        order.start();
    }

    /** Whether a listing is being read. */
    boolean inListing() {
        return before != null;
    }

    /** The listing read is cut off: a partial listing is not the heap, the set before it stands. */
    void restore() {
        spare = blocks;
        blocks = before;
        bytes = beforeBytes;
        before = null;
    }

    /** The listing read is complete: its set is the heap now. */
    void keepListing() {
        spare = before;
        before = null;
        order.keep();
    }

    /** Whether a listing's record is a block the set before the listing had too (same address, size and call stack). */
    boolean hadBefore(Alloc a) {
        if (before != null && order.listedAgain(a.address(), a.size(), a.stack())) {
            return true;
        }
        int j = before == null ? -1 : before.find(a.address());
        return j >= 0 && before.size(j) == a.size() && before.stack(j) == a.stack();
    }

    /**
     * The set to show while reading: during a listing that follows a complete one ({@code afterListing}), the set
     * before it, not the half-read new one.
     */
    LiveBlocks shown(boolean afterListing) {
        return afterListing && before != null ? before : blocks;
    }

    long shownBytes(boolean afterListing) {
        return afterListing && before != null ? beforeBytes : bytes;
    }
}
