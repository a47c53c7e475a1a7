package heapscope.analysis;

import heapscope.trace.Alloc;

import java.util.Arrays;

/**
 * The blocks alive now and their bytes. While a heap listing is read, the set before it is kept (shown meanwhile,
 * compared against, and restored if the listing is cut off), and the listing is read into a copy of it: a record
 * the set had already overwrites that block's row, found where the last listing had it (a dump lists the blocks in
 * the order the device keeps them), so that a listing of the same blocks costs no lookups; a new record is added,
 * and when the listing is complete the blocks it did not list are dropped. Until then the listing's set is the
 * blocks it marked, and lookups see those only. The rows a listing changed are noted as it goes, so that what follows
 * the live set looks at those only ({@link ListingChanges}).
 */
final class LiveSet {
    /** How far ahead of the expected row a listed block is looked for: past the blocks freed since the last listing. */
    private static final int REACH = 4;

    private LiveBlocks blocks = new LiveBlocks();
    private long bytes;
    /** Order of allocation, across listings: the report lists blocks oldest first. */
    private long seq;
    /** The set as the last listing left it, while a new listing is read; null outside listings. */
    private LiveBlocks before;
    private long beforeBytes;
    /** A set no longer needed, kept to read the next listing into: its tables have already grown to a listing's size. */
    private LiveBlocks spare;
    // while a listing is read
    /** The mark of the rows the listing has listed: one number per listing, never reused. */
    private int listing;
    /** The blocks the listing has listed. */
    private int listed;
    /** The row after the one the last listed block was found in: where the next is expected. */
    private int cursor;
    /** The row of {@link #locatedAddress} in the copy, -1 for none, while the copy is unchanged since it was found. */
    private long locatedAddress = -1;
    private int locatedRow;
    /** The rows of the listing's set that may differ from the set before it ({@link ListingChanges}), each once. */
    private int[] touched = new int[64];
    private int touchedCount;
    /** Per row, the listing that touched it last. */
    private int[] touchedIn = new int[64];
    /** The set changed outside listings since the last one was kept (not while it is empty, as it was made). */
    private boolean changedOutside;

    LiveBlocks blocks() {
        return blocks;
    }

    /** Live bytes: in a listing, of the blocks it has listed so far. */
    long bytes() {
        return bytes;
    }

    /** Live blocks: in a listing, those it has listed so far. */
    int size() {
        return before != null ? listed : blocks.size();
    }

    /** The allocation number the next block gets: blocks numbered below it were allocated before now. */
    long nextSeq() {
        return seq;
    }

    /** Row of the live block at {@code address}, or -1; in a listing, of a block it has listed. */
    int find(long address) {
        if (before == null) {
            return blocks.find(address);
        }
        int row = locate(address);
        return row >= 0 && blocks.mark(row) == listing ? row : -1;
    }

    /** {@link LiveBlocks#findContaining} among the blocks of the set (in a listing, those it has listed). */
    int findContaining(long address) {
        return blocks.findContaining(address, before == null ? LiveBlocks.ANY : listing);
    }

    /**
     * Adds the block {@code a} allocates, in place of the live one {@link #find} found at its address in row
     * {@code i} (-1: none); returns the live bytes.
     */
    long add(Alloc a, int i) {
        if (i >= 0) {
            bytes -= blocks.size(i);
        }
        int memory = a.memory().ordinal();
        if (before == null) {
            blocks.put(a.address(), a.size(), a.timeNs(), seq++, a.stack(), a.context(), a.core(), memory);
            changedOutside = true;
        } else {
            int row = i >= 0 ? i : locate(a.address()); // a block of the set before, which this listing had not listed yet
            if (row >= 0) {
                if (i >= 0 || blocks.size(row) != a.size() || blocks.stack(row) != a.stack() || blocks.memory(row) != memory) {
                    touch(row); // listed twice, or not the block the set before had there
                }
                blocks.set(row, a.size(), a.timeNs(), seq++, a.stack(), a.context(), a.core(), memory);
            } else {
                row = blocks.put(a.address(), a.size(), a.timeNs(), seq++, a.stack(), a.context(), a.core(), memory);
                touch(row);
                locatedAddress = -1; // the index changed
            }
            if (i < 0) {
                listed++;
            }
            blocks.setMark(row, listing);
        }
        bytes += a.size();
        return bytes;
    }

    /** Removes the block in row {@code i}; returns the live bytes. */
    long removeAt(int i) {
        bytes -= blocks.size(i);
        blocks.removeAt(i);
        if (before != null) {
            listed--;
            touch(i);
            locatedAddress = -1; // the index changed
        } else {
            changedOutside = true;
        }
        return bytes;
    }

    /**
     * A listing starts, into a copy of the set before it. One starting inside another (garbled logs) starts again from
     * the set before both.
     */
    void startListing() {
        if (before == null) {
            before = blocks;
            beforeBytes = bytes;
            blocks = spare != null ? spare : new LiveBlocks();
            spare = null;
        }
        blocks.copyOf(before);
        bytes = 0;
        listing++;
        listed = 0;
        cursor = 0;
        locatedAddress = -1;
        touchedCount = 0;
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

    /**
     * The listing read is complete: its blocks are the heap now; those of the set before that it did not list are
     * gone. Returns what it changed; the set before stays as it was until the next listing starts.
     */
    ListingChanges keepListing() {
        int unlisted = before != null ? blocks.size() - listed : Integer.MAX_VALUE; // without a start, every row is looked at
        for (int i = 0; unlisted > 0 && i < blocks.rows(); i++) {
            if (blocks.occupied(i) && blocks.mark(i) != listing) {
                blocks.removeAt(i);
                unlisted--;
                if (before != null) {
                    touch(i);
                }
            }
        }
        if (!ascending(touched, touchedCount)) {
            Arrays.sort(touched, 0, touchedCount);
        }
        ListingChanges changes = new ListingChanges(before, touched, before != null ? touchedCount : 0, !changedOutside);
        changedOutside = false;
        spare = before != null ? before : spare;
        before = null;
        return changes;
    }

    private static boolean ascending(int[] a, int n) {
        for (int k = 1; k < n; k++) {
            if (a[k - 1] > a[k]) {
                return false;
            }
        }
        return true;
    }

    /** Row {@code row} of the listing's set may differ from the set before: it goes into the changes once. */
    private void touch(int row) {
        if (row >= touchedIn.length) {
            touchedIn = Arrays.copyOf(touchedIn, Math.max(row + 1, 2 * touchedIn.length));
        }
        if (touchedIn[row] != listing) {
            touchedIn[row] = listing;
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, 2 * touchedCount);
            }
            touched[touchedCount++] = row;
        }
    }

    /** Whether a listing's record is a block the set before the listing had too (same address, size and call stack). */
    boolean hadBefore(Alloc a) {
        if (before == null) {
            return false;
        }
        int row = locate(a.address());
        return row >= 0 && blocks.mark(row) != listing && blocks.size(row) == a.size() && blocks.stack(row) == a.stack();
    }

    /**
     * The row of the copy that holds {@code address}, listed or not, or -1: first where the listing's order puts it,
     * then by the index, which also tells where the listing goes on after blocks freed since the last one.
     */
    private int locate(long address) {
        if (address == locatedAddress) {
            return locatedRow;
        }
        int row = -1;
        for (int k = cursor, end = Math.min(blocks.rows(), cursor + REACH); k < end; k++) {
            if (blocks.address(k) == address) {
                row = k;
                break;
            }
        }
        if (row < 0) {
            row = blocks.find(address);
        }
        if (row >= 0) {
            cursor = row + 1; // where the listing goes on: past blocks freed since, or back after one out of order
        }
        locatedAddress = address;
        locatedRow = row;
        return row;
    }

    /**
     * The set to show while reading: during a listing that follows a complete one ({@code afterListing}), the set
     * before it, not the half-read new one.
     */
    LiveBlocks shown(boolean afterListing) {
        return afterListing && before != null ? before : blocks;
    }

    int shownSize(boolean afterListing) {
        return afterListing && before != null ? before.size() : size();
    }

    long shownBytes(boolean afterListing) {
        return afterListing && before != null ? beforeBytes : bytes;
    }
}
