package heapscope.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Leak budgets a CI job sets, and the check of a report against them. A limit below zero is not set.
 *
 * @param maxLeakedBytes   leaked bytes in all
 * @param maxLeakPerCycle  steady leaked bytes per cycle (needs cycle markers)
 * @param maxSiteBytes     leaked bytes of any single call stack
 */
public record Budgets(long maxLeakedBytes, long maxLeakPerCycle, long maxSiteBytes) {
    public static final Budgets NONE = new Budgets(-1, -1, -1);

    /**
     * One checked budget: {@code actual} against {@code limit}.
     *
     * @param stacks the call stacks whose leaks make up {@code actual}, so that a report can mark where a failed
     *               budget's bytes come from
     */
    public record Check(String name, long limit, long actual, boolean passed, String detail, List<Integer> stacks) {
        public Check {
            stacks = List.copyOf(stacks);
        }
    }

    public boolean any() {
        return maxLeakedBytes >= 0 || maxLeakPerCycle >= 0 || maxSiteBytes >= 0;
    }

    public List<Check> check(LeakReport report) {
        return check(report, Map.of());
    }

    /** @param suppressed leak groups (by stack id) the user accepted: they count against no budget */
    public List<Check> check(LeakReport report, Map<Integer, String> suppressed) {
        List<Check> out = new ArrayList<>();
        if (maxLeakedBytes >= 0) {
            long actual = 0;
            long blocks = 0;
            List<Integer> stacks = new ArrayList<>();
            for (LeakGroup g : report.groups()) {
                if (!suppressed.containsKey(g.stack())) {
                    actual += g.bytes();
                    blocks += g.blocks();
                    stacks.add(g.stack());
                }
            }
            out.add(new Check("max-leaked-bytes", maxLeakedBytes, actual, actual <= maxLeakedBytes,
                    actual + " bytes leaked in " + blocks + " blocks" + (suppressed.isEmpty() ? "" : " (not counting suppressed leaks)"), stacks));
        }
        if (maxLeakPerCycle >= 0) {
            CycleReport c = report.cycles();
            // a suppressed stack's own median per cycle comes off the steady figure (exact when stacks leak the
            // same every cycle, which is what makes a steady figure)
            long suppressedPerCycle = c == null ? 0 : c.sites().stream().filter(site -> suppressed.containsKey(site.stack()))
                    .mapToLong(CycleReport.Site::bytesPerCycle).sum();
            long actual = c == null || c.steadyBytes() < 0 ? -1 : Math.max(0, c.steadyBytes() - suppressedPerCycle);
            out.add(new Check("max-leak-per-cycle", maxLeakPerCycle, actual, actual >= 0 && actual <= maxLeakPerCycle,
                    c == null ? "no cycles: give --cycle" : actual < 0 ? "too few cycles for a steady figure"
                            : actual + " bytes per cycle over " + c.steadyCycles() + " cycles"
                            + (suppressedPerCycle > 0 ? " (not counting suppressed leaks)" : ""),
                    c == null ? List.of() : c.sites().stream().filter(site -> site.bytesPerCycle() > 0 && !suppressed.containsKey(site.stack()))
                            .map(CycleReport.Site::stack).toList()));
        }
        if (maxSiteBytes >= 0) {
            for (int i = 0; i < report.groups().size(); i++) {
                LeakGroup g = report.groups().get(i);
                // the folded group is many stacks, each no larger than the smallest group kept
                if (suppressed.containsKey(g.stack()) || report.recording().stacks().isOther(g.stack())) {
                    continue;
                }
                out.add(new Check("max-site-bytes #" + (i + 1), maxSiteBytes, g.bytes(), g.bytes() <= maxSiteBytes,
                        g.bytes() + " bytes in " + g.blocks() + " blocks from call stack #" + (i + 1), List.of(g.stack())));
            }
        }
        return out;
    }
}
