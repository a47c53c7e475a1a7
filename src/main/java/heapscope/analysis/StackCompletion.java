package heapscope.analysis;

import heapscope.symbols.Callers;
import heapscope.trace.EventReader;
import heapscope.trace.StackRewrite;
import heapscope.trace.StackTable;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Extends recorded stacks outward from the firmware's call graph: while the outermost frame's function has exactly
 * one caller in the whole program ({@link Callers.Certain}), that call site is the next frame, certainly; where 2 to
 * {@value Callers#MAX_CANDIDATES} call sites may have called it, they are kept as the stack's candidates and
 * completion stops; it stops too at anything less certain, and before a function already on the stack (recursion,
 * cycles). It starts only from an outermost frame that agrees with the call graph ({@link Callers#agrees}), which
 * an ELF of another build mostly does not. Completed stacks are interned with their inferred frames marked, so they
 * never merge with recorded ones.
 */
public final class StackCompletion {
    /** Frames added at most: a chain of single callers longer than any real stack is a cycle the check missed. */
    private static final int MAX_ADDED = 64;

    private final Callers callers;
    private final StackTable stacks;
    private int completed;
    private int candidates;
    private long framesAdded;

    public StackCompletion(Callers callers, StackTable stacks) {
        this.callers = callers;
        this.stacks = stacks;
    }

    /** IN with every heap event's stack completed. */
    public static EventReader of(EventReader in, Callers callers) {
        StackCompletion c = new StackCompletion(callers, in.recording().stacks());
        return new StackRewrite(in, c::complete);
    }

    /** The id of stack ID completed (ID itself when nothing was added and there are no candidates). */
    public int complete(int id) {
        int depth = stacks.depth(id);
        if (depth == 0 || id == stacks.full() || stacks.inferred(id) > 0
                || !callers.agrees(stacks.frame(id, depth - 1), depth > 1 ? stacks.frame(id, depth - 2) : -1)) {
            return id; // an outermost frame the call graph does not know: another build's, or a tail call's
        }
        long[] frames = Arrays.copyOf(stacks.frames(id), depth + MAX_ADDED);
        Set<Integer> functions = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            functions.add(callers.function(frames[i]));
        }
        int n = depth;
        long[] next = null;
        while (n < frames.length) {
            Callers.Answer a = callers.of(frames[n - 1]);
            if (a instanceof Callers.Certain c && functions.add(callers.function(c.returnAddress()))) {
                frames[n++] = c.returnAddress();
            } else {
                if (a instanceof Callers.Candidates c) {
                    next = c.returnAddresses();
                }
                break;
            }
        }
        if (n == depth && next == null) {
            return id;
        }
        int out = stacks.intern(frames, n, n - depth);
        if (next != null) {
            stacks.setCandidates(out, next);
            candidates++;
        }
        if (n > depth) {
            completed++;
            framesAdded += n - depth;
        }
        return out;
    }

    /** Recorded stacks that gained certain frames. */
    public int completed() {
        return completed;
    }

    /** Recorded stacks that end in 2 to 5 candidate callers. */
    public int withCandidates() {
        return candidates;
    }

    public long framesAdded() {
        return framesAdded;
    }
}
