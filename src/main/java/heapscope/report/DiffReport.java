package heapscope.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.LeakDiff;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** The comparison of two captures, as text or JSON ({@code heapscope/leak-diff/1}, docs/json-report.md). */
public final class DiffReport {
    public static final String SCHEMA = "heapscope/leak-diff/1";

    private DiffReport() {
    }

    public static void write(LeakDiff diff, String before, String after, boolean json, String version, PrintWriter out) throws IOException {
        if (json) {
            json(diff, before, after, version, out);
        } else {
            text(diff, before, after, out);
        }
        out.flush();
    }

    private static void text(LeakDiff diff, String before, String after, PrintWriter out) {
        out.println("heapscope leak diff");
        out.println("  before  " + Escape.terminal(before) + ": " + Units.count(diff.beforeBytes()) + " bytes in " + diff.beforeBlocks() + " blocks");
        out.println("  after   " + Escape.terminal(after) + ": " + Units.count(diff.afterBytes()) + " bytes in " + diff.afterBlocks() + " blocks");
        long delta = diff.afterBytes() - diff.beforeBytes();
        out.println("  change  " + (delta > 0 ? "+" : "") + Units.count(delta) + " bytes");
        out.println();
        out.printf("  %-7s %12s %12s %12s  %s%n", "status", "before", "after", "change", "site");
        for (LeakDiff.Entry e : diff.entries()) {
            long d = e.afterBytes() - e.beforeBytes();
            out.printf(Locale.ROOT, "  %-7s %12s %12s %12s  %s%n", e.status().name().toLowerCase(Locale.ROOT), Units.count(e.beforeBytes()),
                    Units.count(e.afterBytes()), (d > 0 ? "+" : "") + Units.count(d), Escape.terminal(e.label()));
        }
    }

    private static void json(LeakDiff diff, String before, String after, String version, PrintWriter out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            JsonReport.header(g, SCHEMA, version);
            g.writeStringField("before", before);
            g.writeStringField("after", after);
            g.writeNumberField("before_bytes", diff.beforeBytes());
            g.writeNumberField("before_blocks", diff.beforeBlocks());
            g.writeNumberField("after_bytes", diff.afterBytes());
            g.writeNumberField("after_blocks", diff.afterBlocks());
            g.writeArrayFieldStart("sites");
            for (LeakDiff.Entry e : diff.entries()) {
                g.writeStartObject();
                g.writeStringField("status", e.status().name().toLowerCase(Locale.ROOT));
                g.writeStringField("key", e.key());
                g.writeStringField("label", e.label());
                g.writeNumberField("before_bytes", e.beforeBytes());
                g.writeNumberField("before_blocks", e.beforeBlocks());
                g.writeNumberField("after_bytes", e.afterBytes());
                g.writeNumberField("after_blocks", e.afterBlocks());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }
}
