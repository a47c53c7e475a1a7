package heapscope.analysis;

import heapscope.analysis.Diagnostics.DuplicateAlloc;
import heapscope.analysis.Diagnostics.FailedAlloc;
import heapscope.analysis.Diagnostics.FreeInsideBlock;
import heapscope.analysis.Diagnostics.UnmatchedFree;
import heapscope.trace.Alloc;
import heapscope.trace.Free;
import heapscope.trace.Overflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What does not add up in the heap events, counted with the first {@link LeakAnalysis#MAX_EXAMPLES} examples of
 * each kind: the report's {@link Diagnostics}. Unmatched frees and allocations at a live address are held for
 * {@link LeakAnalysis#CORE_SKEW_NS} first, in case their other half comes from the other core.
 */
final class DiagnosticLog {
    private long unmatchedFrees;
    private final List<UnmatchedFree> unmatchedFreeExamples = new ArrayList<>();
    /** Unmatched frees: their allocation may still come from the other core. */
    private final SkewWindow<Free> pendingFrees = new SkewWindow<>();
    /** Allocations at a live address: the old block's free may still come from the other core. */
    private final SkewWindow<DuplicateAlloc> pendingDuplicates = new SkewWindow<>();
    private long reorderedPairs;
    private long duplicateAllocs;
    private final List<DuplicateAlloc> duplicateAllocExamples = new ArrayList<>();
    private long freesInsideBlocks;
    private final List<FreeInsideBlock> freeInsideBlockExamples = new ArrayList<>();
    private long failedAllocs;
    private long failedAllocBytes;
    private final List<FailedAlloc> failedAllocExamples = new ArrayList<>();
    private long nullFrees;
    private long overflows;
    private long dropped;

    /** Whether events are held: only then does time passing settle anything (rare: keeps every event's path short). */
    boolean holding() {
        return !pendingFrees.isEmpty() || !pendingDuplicates.isEmpty();
    }

    /** Unmatched frees and allocations at live addresses older than the skew window, as of {@code nowNs}, are final. */
    void settle(long nowNs) {
        pendingFrees.expire(nowNs, this::unmatched);
        pendingDuplicates.expire(nowNs, this::duplicate);
    }

    void failedAlloc(Alloc a) {
        failedAllocs++;
        failedAllocBytes += a.size();
        if (failedAllocExamples.size() < LeakAnalysis.MAX_EXAMPLES) {
            failedAllocExamples.add(new FailedAlloc(a.size(), a.timeNs(), a.core(), a.context(), a.stack()));
        }
    }

    void nullFree() {
        nullFrees++;
    }

    void overflow(Overflow o) {
        overflows++;
        dropped += o.dropped();
    }

    /** Whether {@code a} is the allocation of a held free, sorted before it by the cores' clocks: allocated and freed. */
    boolean completesFree(Alloc a) {
        if (pendingFrees.pairs(a.address(), a.core(), a.timeNs())) {
            reorderedPairs++;
            return true;
        }
        return false;
    }

    /**
     * Whether {@code f} frees the block a held allocation replaced, sorted after it by the cores' clocks: the new
     * block lives on.
     */
    boolean completesDuplicate(Free f) {
        if (pendingDuplicates.pairs(f.address(), f.core(), f.timeNs())) {
            reorderedPairs++;
            return true;
        }
        return false;
    }

    /** A free of no live block: held, as its allocation may still come from the other core. */
    void unmatchedFree(Free f) {
        Free older = pendingFrees.hold(f.address(), f.timeNs(), f.core(), f);
        if (older != null) {
            unmatched(older); // freed twice before any allocation: the first cannot be paired any more
        }
    }

    /** An allocation at a live address: held, as the old block's free may still come from the other core. */
    void duplicateAlloc(DuplicateAlloc d) {
        DuplicateAlloc older = pendingDuplicates.hold(d.address(), d.timeNs(), d.core(), d);
        if (older != null) {
            duplicate(older); // allocated there twice before any free: the first cannot be paired any more
        }
    }

    void freeInsideBlock(FreeInsideBlock f) {
        freesInsideBlocks++;
        if (freeInsideBlockExamples.size() < LeakAnalysis.MAX_EXAMPLES) {
            freeInsideBlockExamples.add(f);
        }
    }

    /** The diagnostics; settle everything held first. */
    Diagnostics diagnostics() {
        return new Diagnostics(unmatchedFrees, List.copyOf(unmatchedFreeExamples),
                duplicateAllocs, List.copyOf(duplicateAllocExamples), freesInsideBlocks, List.copyOf(freeInsideBlockExamples),
                failedAllocs, failedAllocBytes, List.copyOf(failedAllocExamples), nullFrees, overflows, dropped, reorderedPairs);
    }

    private void duplicate(DuplicateAlloc d) {
        duplicateAllocs++;
        if (duplicateAllocExamples.size() < LeakAnalysis.MAX_EXAMPLES) {
            duplicateAllocExamples.add(d);
        }
    }

    private void unmatched(Free f) {
        unmatchedFrees++;
        if (unmatchedFreeExamples.size() < LeakAnalysis.MAX_EXAMPLES) {
            unmatchedFreeExamples.add(new UnmatchedFree(f.address(), f.timeNs(), f.core(), f.context(), f.stack()));
        }
    }

    /**
     * Heap events held for {@link LeakAnalysis#CORE_SKEW_NS} by address, oldest first, in case their other half comes
     * from the other core; those still held when the window has passed are final.
     */
    private static final class SkewWindow<T> {
        private record Held<T>(long address, long timeNs, int core, T event) {
        }

        private final ArrayDeque<Held<T>> order = new ArrayDeque<>();
        private final Map<Long, Held<T>> byAddress = new HashMap<>();

        /** Holds {@code event}; returns the one it displaces at the same address (too late to pair), or null. */
        T hold(long address, long timeNs, int core, T event) {
            Held<T> held = new Held<>(address, timeNs, core, event);
            order.add(held);
            Held<T> older = byAddress.put(address, held);
            return older == null ? null : older.event();
        }

        /** Whether an event at {@code address} from {@code core} completes a held one (another core, within the window). */
        boolean pairs(long address, int core, long timeNs) {
            Held<T> held = byAddress.isEmpty() ? null : byAddress.get(address);
            if (held == null || held.core() == core || timeNs - held.timeNs() > LeakAnalysis.CORE_SKEW_NS) {
                return false;
            }
            byAddress.remove(address);
            return true;
        }

        boolean isEmpty() {
            return order.isEmpty();
        }

        /** Hands each event held longer than the window, as of {@code nowNs}, to {@code settled}. */
        void expire(long nowNs, Consumer<T> settled) {
            while (!order.isEmpty() && nowNs - order.peekFirst().timeNs() > LeakAnalysis.CORE_SKEW_NS) {
                Held<T> held = order.pollFirst();
                if (byAddress.remove(held.address(), held)) {
                    settled.accept(held.event());
                }
            }
        }
    }
}
