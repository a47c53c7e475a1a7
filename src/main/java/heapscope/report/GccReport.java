package heapscope.report;

import heapscope.analysis.Budgets;
import heapscope.analysis.Findings;
import heapscope.trace.Condition;

import java.io.PrintWriter;

/**
 * Compiler-style lines, {@code FILE:LINE: warning: MESSAGE [heap-leak]}, one per leaking site at its first frame
 * outside the allocator: what VS Code's problem matchers ($gcc, docs/vscode/tasks.json), Emacs' compilation mode
 * and Vim's quickfix list read. The capture's conditions and failed budgets come first, as
 * {@code heapscope: warning: ...} and {@code heapscope: error: ...} lines with no source line.
 */
public final class GccReport {
    private GccReport() {
    }

    /** @param sourceRoot --source-root, or null */
    public static void write(Findings findings, String sourceRoot, PrintWriter out) {
        Annotations a = Annotations.of(findings, sourceRoot);
        for (Condition c : findings.report().recording().conditions()) {
            out.println("heapscope: warning: " + Escape.terminal(c.headline()));
        }
        String starved = DiagnosticLines.fragmentation(findings.report());
        if (starved != null) {
            out.println("heapscope: warning: " + Escape.terminal(starved));
        }
        for (Budgets.Check c : a.failed()) {
            out.println("heapscope: error: budget " + c.name() + " exceeded: " + c.detail() + " (budget " + c.limit() + ")");
        }
        for (Annotations.Annotation an : a.annotations()) {
            String where = an.file() == null ? "heapscope" : Escape.terminal(an.file()) + ":" + Math.max(1, an.line());
            out.println(where + ": " + an.level().word() + ": " + Escape.terminal(an.message()) + " [" + SarifReport.RULE + "]");
        }
        out.flush();
    }
}
