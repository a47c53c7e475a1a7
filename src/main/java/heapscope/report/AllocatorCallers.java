package heapscope.report;

import heapscope.analysis.SiteReport;
import heapscope.trace.StackTable;

import java.util.HashSet;
import java.util.Set;

/**
 * The caller addresses inside the allocator, as the site analysis found them in the leak groups' stacks (those
 * before each stack's site), so that a call stack named in one line starts at its first caller outside the
 * allocator. Empty without sites (no ELF, no names): then a stack is named from its innermost caller.
 */
final class AllocatorCallers {
    private final Set<Long> inside = new HashSet<>();
    private final StackTable stacks;

    AllocatorCallers(SiteReport sites, StackTable stacks) {
        this.stacks = stacks;
        if (sites == null) {
            return;
        }
        for (SiteReport.Site site : sites.sites()) {
            for (int stack : site.stacks()) {
                for (int k = 0; k < stacks.depth(stack) && stacks.frame(stack, k) != site.address(); k++) {
                    inside.add(stacks.frame(stack, k));
                }
            }
        }
    }

    /** Index of the first caller of {@code stack} outside the allocator (its last caller when all are inside). */
    int first(int stack) {
        int k = 0;
        while (k < stacks.depth(stack) - 1 && inside.contains(stacks.frame(stack, k))) {
            k++;
        }
        return k;
    }
}
