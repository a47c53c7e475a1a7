package heapscope.analysis;

import heapscope.symbols.Callers;
import heapscope.trace.EventReader;
import heapscope.trace.StackRewrite;
import heapscope.trace.StackTable;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Extends recorded stacks outward from the firmware's call graph: while the outermost frame's function has exactly
 * one caller in the whole program ({@link Callers.Certain}), that call site is the next frame, certainly; where 2 to
 * {@value Callers#MAX_CANDIDATES} call sites may have called it, they are kept as the stack's candidates and
 * completion stops; it stops too at anything less certain, and before a function already on the stack (recursion,
 * cycles). It starts only from an outermost frame that agrees with the call graph ({@link Callers#agrees}), which
 * an ELF of another build mostly does not. A completed stack keeps its id, its inferred frames marked
 * ({@link StackTable#extend}): a recorded stack with the same frames stays a stack of its own, and completion costs
 * no second copy of the recorded frames.
 */
public final class StackCompletion {
    /** Frames added at most: a chain of single callers longer than any real stack is a cycle the check missed. */
    private static final int MAX_ADDED = 64;

    private final Callers callers;
    private final StackTable stacks;
    /** Outermost frame to its chain of callers: at most one per call site of the program. */
    private final Map<Long, Chain> chains = new HashMap<>();
    private final BitSet done = new BitSet();

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
        if (depth == 0 || id == stacks.full() || stacks.isOther(id) || done.get(id)) {
            return id;
        }
        done.set(id); // each stack once: it is completed wherever it occurs
        if (!callers.agrees(stacks.frame(id, depth - 1), depth > 1 ? stacks.frame(id, depth - 2) : -1)) {
            return id; // an outermost frame the call graph does not know: another build's, or a tail call's
        }
        Chain chain = chains.computeIfAbsent(stacks.frame(id, depth - 1), this::chain);
        if (chain.returns().length == 0 && chain.candidates() == null) {
            return id;
        }
        int[] recorded = new int[depth];
        for (int i = 0; i < depth; i++) {
            recorded[i] = callers.function(stacks.frame(id, i));
        }
        int added = 0;
        while (added < chain.returns().length && !contains(recorded, chain.functions()[added])) {
            added++; // a function already on the recorded stack stops it: recursion
        }
        long[] next = added == chain.returns().length ? chain.candidates() : null;
        if (added == 0 && next == null) {
            return id;
        }
        if (added > 0 && !stacks.extend(id, chain.returns(), added)) {
            return id; // the stack table's frame cap is reached
        }
        if (next != null) {
            stacks.setCandidates(id, next);
        }
        return id;
    }

    /**
     * The certain callers outward from the call returning to OUTER, each with its function, up to a function already
     * in the chain (a cycle), and the candidates where they end in 2-5; null candidates where they end otherwise. The
     * same for every stack with this outermost frame, so it is found once: a stack only cuts it shorter where a
     * function of its own recurs.
     */
    private Chain chain(long outer) {
        List<Long> returns = new ArrayList<>();
        List<Integer> functions = new ArrayList<>();
        Set<Integer> seen = new HashSet<>(List.of(callers.function(outer)));
        long[] next = null;
        for (long at = outer; returns.size() < MAX_ADDED; ) {
            Callers.Answer a = callers.of(at);
            if (!(a instanceof Callers.Certain c)) {
                next = a instanceof Callers.Candidates c ? c.returnAddresses() : null;
                break;
            }
            int function = callers.function(c.returnAddress());
            if (!seen.add(function)) {
                break; // a cycle
            }
            at = c.returnAddress();
            returns.add(at);
            functions.add(function);
        }
        return new Chain(returns.stream().mapToLong(Long::longValue).toArray(), functions.stream().mapToInt(Integer::intValue).toArray(), next);
    }

    /** Certain callers' return addresses and their functions, outward, and the candidates after the last (or null). */
    private record Chain(long[] returns, int[] functions, long[] candidates) {
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
