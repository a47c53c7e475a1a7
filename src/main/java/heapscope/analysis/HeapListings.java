package heapscope.analysis;

import heapscope.trace.Snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The heap listings of the capture (a {@code heap_trace_dump()}, a tracker's leak list): what each held, how many
 * blocks each call stack had in each, and since which listing each block of the last one has been present, which
 * dates the blocks of a capture that prints no allocation times.
 */
final class HeapListings {
    private final List<SnapshotInfo> snapshots = new ArrayList<>();
    /** Per listing, the call stacks in it (ascending) and their blocks: two primitive arrays, not a map per listing. */
    private final List<int[]> listedStacks = new ArrayList<>();
    private final List<long[]> listedCounts = new ArrayList<>();
    /**
     * Blocks of the last complete listing, at the rows the live set had them; their seq field holds the listing they
     * are present since.
     */
    private LiveBlocks presentSince = new LiveBlocks();
    /** The table {@link #presentSince} replaced, to copy the next listing into: it has grown to a listing's size. */
    private LiveBlocks spare = new LiveBlocks();
    /** Per call stack, its blocks in the last complete listing. */
    private long[] stackCounts = new long[64];
    /** Bytes of the last complete listing. */
    private long lastBytes;
    /** Per changed row, the listing its block is present since (-1: a hole), while {@link #follow} works. */
    private int[] firsts = new int[64];
    private Snapshot open;

    /** Whether a listing is being read. */
    boolean open() {
        return open != null;
    }

    /** Whether a complete listing was read. */
    boolean isEmpty() {
        return snapshots.isEmpty();
    }

    int count() {
        return snapshots.size();
    }

    void start(Snapshot s) {
        open = s;
    }

    /** The listing being read was cut off and is dropped. */
    void drop() {
        open = null;
    }

    /** The listing that {@code end} closes is complete: {@code live} holds its blocks. */
    void end(Snapshot end, LiveBlocks live) {
        end(end, live, new ListingChanges(null, new int[0], 0, false));
    }

    /**
     * The same, with what the listing changed: where that is a few rows since the listing before, only they are
     * looked at; else every row.
     */
    void end(Snapshot end, LiveBlocks live, ListingChanges changes) {
        long carried = changes.known() && changes.sinceLastListing() && changes.count() * 4L < live.rows()
                ? follow(live, changes) : rebuild(live);
        int n = 0;
        for (long c : stackCounts) {
            n += c != 0 ? 1 : 0;
        }
        int[] stacks = new int[n];
        long[] counts = new long[n];
        n = 0;
        for (int stack = 0; stack < stackCounts.length; stack++) {
            if (stackCounts[stack] != 0) {
                stacks[n] = stack;
                counts[n++] = stackCounts[stack];
            }
        }
        listedStacks.add(stacks);
        listedCounts.add(counts);
        Snapshot start = open != null ? open : end;
        snapshots.add(new SnapshotInfo(snapshots.size(), start.kind(), start.line(), start.timeNs(), end.declared(), live.size(), lastBytes,
                carried));
        open = null;
    }

    /** Reads every block of {@code live} into a copy of it, as the last listing now; returns the blocks carried over. */
    private long rebuild(LiveBlocks live) {
        long carried = 0;
        Arrays.fill(stackCounts, 0);
        lastBytes = 0;
        // a copy of the table, row for row, rather than a new one filled block by block: no hashing, no growing
        LiveBlocks since = spare.copyOf(live);
        for (int i = 0; i < live.rows(); i++) {
            if (!live.occupied(i)) {
                continue;
            }
            int first = since(live, i);
            if (first < snapshots.size()) {
                carried++;
            }
            since.setSeq(i, first);
            count(live.stack(i), 1);
            lastBytes += live.size(i);
        }
        spare = presentSince;
        presentSince = since;
        return carried;
    }

    /**
     * Follows the rows {@code changes} names from the last listing to {@code live} (all others hold the same blocks in
     * both); returns the blocks carried over.
     */
    private long follow(LiveBlocks live, ListingChanges changes) {
        int[] rows = changes.rows();
        int n = changes.count();
        if (firsts.length < n) {
            firsts = new int[Math.max(n, 2 * firsts.length)];
        }
        for (int k = 0; k < n; k++) { // against the last listing as it was, before any row of it changes
            int i = rows[k];
            firsts[k] = live.occupied(i) ? since(live, i) : -1;
        }
        for (int k = 0; k < n; k++) { // removals first: a block that moved rows is indexed once
            int i = rows[k];
            if (i < presentSince.rows() && presentSince.occupied(i)) {
                count(presentSince.stack(i), -1);
                lastBytes -= presentSince.size(i);
                presentSince.removeAt(i);
            }
        }
        long fresh = 0;
        for (int k = 0; k < n; k++) {
            int i = rows[k];
            if (firsts[k] >= 0) {
                presentSince.putAt(i, live.address(i), live.size(i), live.time(i), firsts[k], live.stack(i), live.context(i), live.core(i),
                        live.memory(i));
                count(live.stack(i), 1);
                lastBytes += live.size(i);
                fresh += firsts[k] == snapshots.size() ? 1 : 0;
            }
        }
        return live.size() - fresh; // the rows not named were in the last listing
    }

    private void count(int stack, int blocks) {
        if (stack >= stackCounts.length) {
            stackCounts = Arrays.copyOf(stackCounts, Math.max(stack + 1, stackCounts.length * 2));
        }
        stackCounts[stack] += blocks;
    }

    /** Blocks alive in the latest complete listing, -1 without listings. */
    long lastAlive() {
        return snapshots.isEmpty() ? -1 : snapshots.get(snapshots.size() - 1).aliveBlocks();
    }

    /** The listing from which block {@code i} of {@code live} has been present without a break, -1 without listings. */
    int firstListing(LiveBlocks live, int i) {
        return snapshots.isEmpty() ? -1 : Math.min(since(live, i), snapshots.size() - 1);
    }

    /**
     * The time of block {@code i} of {@code live}: that of the listing it first appeared in, if an earlier one than
     * the last (a dump prints no allocation times), so cycles and growth can place it; else its own.
     */
    long time(LiveBlocks live, int i, int firstListing) {
        return firstListing >= 0 && firstListing < snapshots.size() - 1 ? snapshots.get(firstListing).timeNs() : live.time(i);
    }

    List<SnapshotInfo> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The call stacks with blocks in listing {@code listing}, ascending; {@link #listedCounts} holds their blocks. */
    int[] listedStacks(int listing) {
        return listedStacks.get(listing);
    }

    long[] listedCounts(int listing) {
        return listedCounts.get(listing);
    }

    /** The blocks of call stack {@code stack} in listing {@code listing}. */
    long blocks(int listing, int stack) {
        int i = Arrays.binarySearch(listedStacks.get(listing), stack);
        return i < 0 ? 0 : listedCounts.get(listing)[i];
    }

    /** The listing from which block {@code i} of {@code live} has been present without a break: an earlier one, or the current. */
    private int since(LiveBlocks live, int i) {
        // a block listed again keeps its row from one listing to the next (LiveSet): look there first
        int j = i < presentSince.rows() && presentSince.address(i) == live.address(i) ? i : presentSince.find(live.address(i));
        return j >= 0 && presentSince.size(j) == live.size(i) && presentSince.stack(j) == live.stack(i)
                ? (int) presentSince.seq(j) : snapshots.size();
    }
}
