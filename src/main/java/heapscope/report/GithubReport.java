package heapscope.report;

import heapscope.analysis.Budgets;
import heapscope.analysis.Findings;
import heapscope.trace.Condition;

import java.io.PrintWriter;

/**
 * GitHub Actions workflow commands: an annotation on the source line of each leaking site (its first frame outside
 * the allocator), after one {@code ::warning::} per condition of the capture and one {@code ::error::} per failed
 * budget, so the headline comes first here too (docs/ci.md).
 */
public final class GithubReport {
    private GithubReport() {
    }

    /** @param sourceRoot --source-root, or null */
    public static void write(Findings findings, String sourceRoot, PrintWriter out) {
        Annotations a = Annotations.of(findings, sourceRoot);
        for (Condition c : findings.report().recording().conditions()) {
            out.println("::warning title=" + property("heapscope: " + c.kind().id()) + "::" + data(c.headline()));
        }
        String starved = DiagnosticLines.fragmentation(findings.report());
        if (starved != null) {
            out.println("::warning title=" + property("heapscope: fragmentation") + "::" + data(starved));
        }
        for (Budgets.Check c : a.failed()) {
            out.println("::error title=" + property("heapscope: budget " + c.name() + " exceeded") + "::" + data(c.detail() + " (budget " + c.limit() + ")"));
        }
        for (Annotations.Annotation an : a.annotations()) {
            StringBuilder b = new StringBuilder("::").append(an.level() == Annotations.Level.NOTE ? "notice" : an.level().word());
            String sep = " ";
            if (an.file() != null) {
                b.append(sep).append("file=").append(property(an.file()));
                sep = ",";
                if (an.line() > 0) {
                    b.append(",line=").append(an.line());
                }
            }
            b.append(sep).append("title=").append(property(an.title())).append("::").append(data(an.message()));
            out.println(b);
        }
        out.flush();
    }

    /**
     * A command's message: control characters made visible first (a log line cannot recolour the log), then
     * GitHub's own escapes of {@code %}, CR and LF.
     */
    static String data(String s) {
        return Escape.terminal(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A command's property value: also {@code :} and {@code ,}, which end a property. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
