package heapscope.report;

import heapscope.analysis.Budgets;
import heapscope.analysis.CycleReport;
import heapscope.analysis.Findings;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakRule;
import heapscope.analysis.SiteReport;
import heapscope.trace.StackTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The findings as code hosts and editors take them (sarif, github, gcc): one annotation per leaking site, placed at
 * the site's first frame outside the allocator ({@link SiteReport}); without a usable ELF, one per call stack at its
 * innermost address. Levels: {@code error} where the site's leaks count toward a budget that failed, {@code note}
 * where the user accepted them (--suppress) or a rule calls them expected, {@code warning} for every other leak.
 */
record Annotations(List<Annotation> annotations, List<Budgets.Check> failed) {

    enum Level {
        ERROR, WARNING, NOTE;

        /** As SARIF, GitHub and gcc spell it. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One leaking site.
     *
     * @param function      the site's function, null when nothing names it
     * @param file          its source file as the ELF has it (relative to --source-root when under it), or null
     * @param relative      whether {@code file} was made relative to --source-root
     * @param bytesPerCycle what its stacks leak per steady cycle (the sum of their medians), -1 without cycles
     * @param stacks        its call stacks (leak group ids), largest first
     * @param rule          the known leak signature it matches, or null
     * @param suppressedBy  the --suppress pattern that accepts every one of its stacks, or null
     * @param budgets       the failed budgets its leaks count toward
     * @param rank          without a usable ELF, the rank of the call stack it stands for (1 = largest), else 0
     */
    record Annotation(Level level, String function, String file, boolean relative, int line, long address, String component,
                      long bytes, long blocks, SortedMap<Long, Long> sizes, long bytesPerCycle, List<Integer> stacks,
                      LeakRule rule, String suppressedBy, List<Budgets.Check> budgets, int rank) {

        /** A short title: what leaks where. */
        String title() {
            if (rule != null) {
                return (rule.expected() ? "Expected: " : "Known leak: ") + rule.title();
            }
            return function != null ? "Heap leak in " + function : "Heap leak from call stack #" + rank;
        }

        /** One line that says it all; input text is left raw for the format to escape. */
        String message() {
            StringBuilder b = new StringBuilder();
            b.append(Units.count(bytes)).append(" bytes in ").append(Units.blocks(blocks));
            b.append(sizes.size() == 1 ? " of " + Units.bytes(sizes.firstKey()) : " of " + Units.bytes(sizes.firstKey()) + " to " + Units.bytes(sizes.lastKey()));
            b.append(" allocated ").append(function != null ? "in " + function : rank > 0 ? "by call stack #" + rank + " (innermost caller "
                    + Units.hex(address) + ", no usable ELF to name it)" : "at " + Units.hex(address));
            if (component != null && !component.equals("?")) {
                b.append(" (").append(component).append(')');
            }
            b.append(" and never freed");
            if (stacks.size() > 1) {
                b.append(", from ").append(stacks.size()).append(" call stacks");
            }
            if (bytesPerCycle > 0) {
                b.append("; ").append(Units.count(bytesPerCycle)).append(" bytes per cycle");
            }
            if (rule != null) {
                sentence(b, title());
                if (!rule.fix().isEmpty()) {
                    sentence(b, "Fix: " + rule.fix());
                }
            }
            for (Budgets.Check c : budgets) {
                sentence(b, "Over budget " + c.name() + " (" + c.detail() + ", budget " + c.limit() + ")");
            }
            if (suppressedBy != null) {
                sentence(b, "Suppressed by leak:" + suppressedBy);
            }
            return b.toString();
        }

        /** Ends what B holds with a period (a rule's own text may already have one) and adds S. */
        private static void sentence(StringBuilder b, String s) {
            if (b.charAt(b.length() - 1) != '.') {
                b.append('.');
            }
            b.append(' ').append(s.strip());
        }
    }

    /** @param sourceRoot --source-root, or null */
    static Annotations of(Findings findings, String sourceRoot) {
        LeakReport report = findings.report();
        List<Budgets.Check> failed = findings.checks().stream().filter(c -> !c.passed()).toList();
        Map<Integer, CycleReport.Site> cycleSites = new HashMap<>();
        if (report.cycles() != null) {
            report.cycles().sites().forEach(s -> cycleSites.put(s.stack(), s));
        }
        List<Annotation> out = new ArrayList<>();
        if (findings.sites() != null) {
            for (SiteReport.Site s : findings.sites().sites()) {
                out.add(annotation(findings, failed, cycleSites, s.function(), s.file(), s.line(), s.address(), s.component(), s.bytes(), s.blocks(),
                        s.sizes(), s.stacks(), s.rule(), sourceRoot, 0));
            }
        } else {
            StackTable stacks = report.recording().stacks();
            for (int i = 0; i < report.groups().size(); i++) {
                LeakGroup g = report.groups().get(i);
                long innermost = stacks.depth(g.stack()) > 0 ? stacks.frame(g.stack(), 0) : 0;
                out.add(annotation(findings, failed, cycleSites, null, null, 0, innermost, null, g.bytes(), g.blocks(), g.sizes(),
                        List.of(g.stack()), null, sourceRoot, i + 1));
            }
        }
        return new Annotations(List.copyOf(out), failed);
    }

    private static Annotation annotation(Findings findings, List<Budgets.Check> failed, Map<Integer, CycleReport.Site> cycleSites, String function,
                                         String file, int line, long address, String component, long bytes, long blocks,
                                         SortedMap<Long, Long> sizes, List<Integer> stacks, LeakRule rule, String sourceRoot, int rank) {
        List<Budgets.Check> over = failed.stream().filter(c -> stacks.stream().anyMatch(c.stacks()::contains)).toList();
        String suppressedBy = stacks.stream().allMatch(findings.suppressed()::containsKey) ? findings.suppressed().get(stacks.get(0)) : null;
        long perCycle = -1;
        if (findings.report().cycles() != null) {
            perCycle = 0;
            for (int stack : stacks) {
                CycleReport.Site s = cycleSites.get(stack);
                perCycle += s != null ? s.bytesPerCycle() : 0;
            }
        }
        Level level = !over.isEmpty() ? Level.ERROR : suppressedBy != null || rule != null && rule.expected() ? Level.NOTE : Level.WARNING;
        String shown = file == null ? null : file.replace('\\', '/');
        String under = under(shown, sourceRoot);
        return new Annotation(level, function, under != null ? under : shown, under != null, line, address, component, bytes, blocks, sizes,
                perCycle, stacks, rule, suppressedBy, over, rank);
    }

    /** FILE relative to ROOT when it lies under it, else null. */
    static String under(String file, String root) {
        if (file == null || root == null || root.isEmpty()) {
            return null;
        }
        String r = root.replace('\\', '/');
        while (r.length() > 1 && r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return file.startsWith(r + "/") && file.length() > r.length() + 1 ? file.substring(r.length() + 1) : null;
    }
}
