package heapscope.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.LeakDiff;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Locale;

/** The comparison of two captures as one self-contained HTML page: fixed, new, grown and shrunk sites side by side. */
public final class HtmlDiffReport {
    private HtmlDiffReport() {
    }

    public static void write(LeakDiff diff, String before, String after, String version, Writer out) throws IOException {
        String title = "heapscope diff: " + before + " → " + after;
        StringBuilder b = new StringBuilder();
        b.append("<header><h1>").append(Html.text(title)).append("</h1></header>\n<main>\n<section id=\"summary\"><h2>Summary</h2>\n");
        LeakDiff.Cycles cycles = diff.cycles();
        // a fix is proved per cycle when both captures have a steady figure, else by the totals
        long delta = cycles != null && cycles.measured() ? cycles.after().bytes() - cycles.before().bytes() : diff.afterBytes() - diff.beforeBytes();
        String verdict = DiffReport.signed(delta) + (cycles != null && cycles.measured() ? " leaked bytes per cycle ('" + cycles.marker() + "'), "
                + DiffReport.signed(diff.afterBytes() - diff.beforeBytes()) + " in all" : " leaked bytes");
        b.append("<p id=\"verdict\" class=\"verdict ").append(delta > 0 ? "bad" : "good").append("\">")
                .append(Html.text(verdict)).append("</p>\n<div class=\"figures\">");
        figure(b, "before", Units.count(diff.beforeBytes()), "bytes before (" + Units.count(diff.beforeBlocks()) + " blocks): " + before);
        figure(b, "after", Units.count(diff.afterBytes()), "bytes after (" + Units.count(diff.afterBlocks()) + " blocks): " + after);
        if (cycles != null) {
            LeakDiff.Steady sb = cycles.before();
            LeakDiff.Steady sa = cycles.after();
            figure(b, "per-cycle", (sb.measured() ? Units.count(sb.bytes()) : "?") + " → " + (sa.measured() ? Units.count(sa.bytes()) : "?"),
                    cycles.measured() ? "bytes per cycle ('" + cycles.marker() + "'), " + sb.blocks() + " → " + sa.blocks() + " blocks; median of "
                            + sb.steadyCycles() + " and " + sa.steadyCycles() + " steady cycles"
                            : "bytes per cycle ('" + cycles.marker() + "'): before " + DiffReport.steady(sb) + "; after " + DiffReport.steady(sa));
        }
        b.append("</div>\n");
        for (LeakDiff.Named c : diff.conditions()) { // where analyze's page puts them
            Html.condition(b, c.condition(), c.headline());
        }
        b.append("</section>\n<section id=\"diff\"><h2>Sites</h2>\n<div class=\"columns\">\n");
        for (LeakDiff.Status status : LeakDiff.Status.values()) {
            if (status == LeakDiff.Status.SAME) {
                continue;
            }
            column(b, diff, status);
        }
        b.append("</div>\n<details id=\"same\"><summary>unchanged sites</summary>");
        column(b, diff, LeakDiff.Status.SAME);
        b.append("</details>\n</section>\n</main>\n<footer>heapscope ").append(Html.text(version)).append("</footer>\n");
        StringWriter json = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("kind", "leak-diff");
            g.writeEndObject();
        }
        out.write(Html.page(title, b.toString(), json.toString()));
        out.flush();
    }

    private static void column(StringBuilder b, LeakDiff diff, LeakDiff.Status status) {
        String name = status.name().toLowerCase(Locale.ROOT);
        long n = diff.entries().stream().filter(e -> e.status() == status).count();
        b.append("<div class=\"column ").append(name).append("\" id=\"col-").append(name).append("\"><h3>").append(name)
                .append(" <span class=\"count\">").append(n).append("</span></h3><table class=\"rows\"><thead><tr><th>site</th>")
                .append("<th class=\"num\">before</th><th class=\"num\">after</th><th class=\"num\">change</th></tr></thead><tbody>");
        for (LeakDiff.Entry e : diff.entries()) {
            if (e.status() != status) {
                continue;
            }
            long d = e.afterBytes() - e.beforeBytes();
            b.append("<tr><td>").append(Html.text(label(e.label()))).append("</td><td class=\"num\">").append(Units.count(e.beforeBytes()))
                    .append("</td><td class=\"num\">").append(Units.count(e.afterBytes())).append("</td><td class=\"num\">")
                    .append(d > 0 ? "+" : "").append(Units.count(d)).append("</td></tr>");
        }
        b.append("</tbody></table></div>\n");
    }

    /** Without ELFs a site is its call stack, {@code 0x..:0x..}: shown innermost first with arrows, so it wraps between callers. */
    private static String label(String label) {
        return label.matches("(0x[0-9a-f]+:)+0x[0-9a-f]+") ? String.join(" ← ", label.split(":")) : label;
    }

    private static void figure(StringBuilder b, String id, String value, String label) {
        b.append("<div class=\"figure\" id=\"fig-").append(id).append("\"><span class=\"value\">").append(Html.text(value))
                .append("</span><span class=\"label\">").append(Html.text(label)).append("</span></div>");
    }
}
