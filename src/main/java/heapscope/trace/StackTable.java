package heapscope.trace;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Interns call stacks: identical caller lists share one id, so a million events from one call site cost one
 * stack. Frames are unsigned 32-bit return addresses, innermost first, without trailing zero slots.
 * Id 0 is the empty stack.
 *
 * <p>Memory is bounded: at most {@link #MAX_STACKS} distinct stacks and {@link #MAX_FRAMES} frames in all (about
 * 8 bytes a frame plus 30 a stack, some 600 MiB when full). Beyond either, every new stack is counted under one
 * "stack table full" stack ({@link #full()}: a single frame {@link #FULL_FRAME}), so that the events, and every
 * total, stay exact while the breakdown of the stacks that came late is lost; the first fold calls the
 * {@code onFull} action given at construction. Frames live in fixed-size pages, so growing never copies them.
 */
public final class StackTable {
    /** Distinct stacks kept (2^22): twice the 2 M a pathological capture was measured with (docs/PERFORMANCE.md). */
    public static final int MAX_STACKS = 1 << 22;
    /** Frames kept over all stacks (2^26, 512 MiB). */
    public static final long MAX_FRAMES = 1L << 26;
    /** The frame of the stack that counts every stack beyond the cap; no recorded call stack has a frame 0. */
    public static final long FULL_FRAME = 0;
    /**
     * The frame of the stack the analysis counts its smallest leak groups under beyond its cap of groups
     * ({@link #other()}): above 32 bits, so no recorded return address is ever taken for it.
     */
    public static final long OTHER_FRAME = 1L << 32;

    private static final int PAGE_BITS = 20;
    private static final int PAGE = 1 << PAGE_BITS;

    private final int maxStacks;
    private final long maxFrames;
    private final Runnable onFull;
    private long[][] pages = {new long[1024]};
    private int poolSize; // page * PAGE + offset of the next free frame
    private long frameCount;
    private int full = -1;
    private int other = -1;
    private int[] start = new int[64]; // page * PAGE + offset of the first frame
    private int[] length = new int[64];
    private int[] hashes = new int[64];
    private int count = 1; // id 0 = empty stack, start 0 length 0
    private int[] inferred; // outer frames of each stack found from the call graph, not recorded; null while none
    private int[] outerStart; // page * PAGE + offset of those frames
    private final Map<Integer, long[]> candidates = new HashMap<>();
    private boolean withdrawn; // inferred frames and candidates hidden: the ELF they came from is not the firmware
    private int[] slots = new int[128]; // open addressing: id + 1, 0 = free
    private int mask = slots.length - 1;

    /** A table with the documented caps that folds silently. */
    public StackTable() {
        this(MAX_STACKS, MAX_FRAMES, () -> { });
    }

    /** A table of at most MAX_STACKS stacks and MAX_FRAMES frames; ON_FULL runs once, when the first stack is folded. */
    public StackTable(int maxStacks, long maxFrames, Runnable onFull) {
        if (maxStacks < 2 || maxFrames < 1 || maxFrames > 1L << 30) {
            throw new IllegalArgumentException("a stack table holds 2 or more stacks and 1 to 2^30 frames");
        }
        this.maxStacks = maxStacks;
        this.maxFrames = maxFrames;
        this.onFull = onFull;
    }

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
        if (count >= maxStacks - 1 || frameCount + len > maxFrames || len > PAGE) { // the last id is kept for the fold
            return fold();
        }
        int id = add(frames, len, h);
        slots[i] = id + 1;
        if (count * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    /**
     * Adds {@code outer[0..n)} as the next frames outside stack ID, inferred (from the firmware's call graph) rather
     * than recorded: ID then stands for the recorded stack so completed, wherever it occurs, and is still found by its
     * recorded frames alone. Once per stack; false when the frame cap leaves no room (the stack stays as recorded).
     */
    public boolean extend(int id, long[] outer, int n) {
        if (id <= 0 || id == full || isOther(id) || storedInferred(id) > 0 || n <= 0 || n > PAGE) {
            throw new IllegalArgumentException("stack " + id + " cannot take " + n + " inferred frames");
        }
        if (frameCount + n > maxFrames) {
            return false;
        }
        if (inferred == null || inferred.length < start.length) {
            inferred = inferred == null ? new int[start.length] : Arrays.copyOf(inferred, start.length);
            outerStart = outerStart == null ? new int[start.length] : Arrays.copyOf(outerStart, start.length);
        }
        outerStart[id] = store(outer, n);
        inferred[id] = n;
        frameCount += n;
        return true;
    }

    public int intern(long... frames) {
        return intern(frames, frames.length);
    }

    /** How many outermost frames of the stack were inferred rather than recorded (none once {@link #withdrawInferred}). */
    public int inferred(int id) {
        return withdrawn ? 0 : storedInferred(id);
    }

    private int storedInferred(int id) {
        return inferred == null || id >= inferred.length ? 0 : inferred[id];
    }

    /**
     * Hides every inferred frame and candidate from now on, for good: each stack shows only its recorded frames. For
     * an ELF found at the end of a capture not to be its firmware, when completion from its call graph already ran.
     * Ids stay as they are, so every count made by stack stays true.
     */
    public void withdrawInferred() {
        withdrawn = true;
    }

    /**
     * Records that the next frame outside stack ID is one of the given return addresses (call sites), each possible
     * and none certain.
     */
    public void setCandidates(int id, long[] returnAddresses) {
        candidates.put(id, returnAddresses.clone());
    }

    /** The possible next outer frames of stack ID ({@link #setCandidates}); empty when none were found. */
    public long[] candidates(int id) {
        long[] c = withdrawn ? null : candidates.get(id);
        return c == null ? new long[0] : c.clone();
    }

    public int maxStacks() {
        return maxStacks;
    }

    public long maxFrames() {
        return maxFrames;
    }

    /** Number of stacks, including the empty one. */
    public int size() {
        return count;
    }

    public int depth(int id) {
        return withdrawn ? length[id] : length[id] + storedInferred(id);
    }

    public long frame(int id, int index) {
        int recorded = length[id];
        int at = index < recorded ? start[id] + index : outerStart[id] + index - recorded;
        return pages[at >>> PAGE_BITS][at & (PAGE - 1)];
    }

    public long[] frames(int id) {
        long[] out = new long[depth(id)];
        for (int k = 0; k < out.length; k++) {
            out[k] = frame(id, k);
        }
        return out;
    }

    /**
     * The id every stack beyond the cap is counted under (its one frame is {@link #FULL_FRAME}), or -1 while no stack
     * was folded.
     */
    public int full() {
        return full;
    }

    /**
     * The id of the stack that stands for many others counted together (its one frame is {@link #OTHER_FRAME}),
     * added on first use and beyond the caps: a report that folds its smallest groups names them with it.
     */
    public int other() {
        if (other < 0) {
            other = add(new long[] {OTHER_FRAME}, 1, 0);
        }
        return other;
    }

    /** Whether ID is {@link #other()}'s stack (false while it was never asked for). */
    public boolean isOther(int id) {
        return other >= 0 && id == other;
    }

    private int fold() {
        if (full < 0) {
            full = add(new long[] {FULL_FRAME}, 1, 0);
            onFull.run();
        }
        return full;
    }

    private int add(long[] frames, int len, int h) {
        int at = store(frames, len);
        if (count == start.length) {
            start = Arrays.copyOf(start, count * 2);
            length = Arrays.copyOf(length, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        start[count] = at;
        length[count] = len;
        hashes[count] = h;
        frameCount += len;
        return count++;
    }

    /** Copies {@code frames[0..len)} into the pool and returns where they start. */
    private int store(long[] frames, int len) {
        int page = poolSize >>> PAGE_BITS;
        int offset = poolSize & (PAGE - 1);
        if (offset + len > PAGE) { // a stack never spans two pages
            page++;
            offset = 0;
        }
        if (page == pages.length) {
            pages = Arrays.copyOf(pages, page + 1);
        }
        long[] p = pages[page];
        if (p == null || offset + len > p.length) { // the first page grows to full size, later ones start full
            long[] grown = new long[page == 0 ? Math.min(PAGE, Math.max(p == null ? 0 : p.length * 2, offset + len)) : PAGE];
            if (p != null) {
                System.arraycopy(p, 0, grown, 0, offset);
            }
            pages[page] = p = grown;
        }
        System.arraycopy(frames, 0, p, offset, len);
        int at = (page << PAGE_BITS) + offset;
        poolSize = at + len;
        return at;
    }

    private boolean equal(int id, long[] frames, int len) {
        if (length[id] != len) {
            return false;
        }
        int at = start[id];
        long[] p = pages[at >>> PAGE_BITS];
        int s = at & (PAGE - 1);
        for (int k = 0; k < len; k++) {
            if (p[s + k] != frames[k]) {
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
