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
        for (LeakDiff.Named c : diff.conditions()) { // before the figures they qualify, as in analyze's report
            out.println(Escape.terminal(c.headline()));
        }
        out.println("  before  " + Escape.terminal(before) + ": " + Units.count(diff.beforeBytes()) + " bytes in " + diff.beforeBlocks() + " blocks");
        out.println("  after   " + Escape.terminal(after) + ": " + Units.count(diff.afterBytes()) + " bytes in " + diff.afterBlocks() + " blocks");
        out.println("  change  " + signed(diff.afterBytes() - diff.beforeBytes()) + " bytes");
        LeakDiff.Cycles c = diff.cycles();
        if (c != null) {
            LeakDiff.Steady b = c.before();
            LeakDiff.Steady a = c.after();
            String per = "'" + Escape.terminal(c.marker()) + "'";
            if (c.measured()) {
                out.println("  per cycle  " + Units.count(b.bytes()) + " -> " + Units.count(a.bytes()) + " bytes (" + b.blocks() + " -> " + a.blocks()
                        + " blocks), change " + signed(a.bytes() - b.bytes()) + " bytes");
                out.println("             steady leak per " + per + " cycle: median of " + b.steadyCycles() + " cycles before, " + a.steadyCycles()
                        + " after (" + b.marked() + " and " + a.marked() + " marked, warm-up " + b.warmup() + ")");
            } else {
                out.println("  per cycle  " + per + ": before " + steady(b) + "; after " + steady(a));
            }
        }
        out.println();
        out.printf("  %-7s %12s %12s %12s  %s%n", "status", "before", "after", "change", "site");
        for (LeakDiff.Entry e : diff.entries()) {
            out.printf(Locale.ROOT, "  %-7s %12s %12s %12s  %s%n", e.status().name().toLowerCase(Locale.ROOT), Units.count(e.beforeBytes()),
                    Units.count(e.afterBytes()), signed(e.afterBytes() - e.beforeBytes()), Escape.terminal(e.label()));
        }
    }

    /** One capture's steady leak per cycle, or why there is none. */
    static String steady(LeakDiff.Steady s) {
        return s.measured() ? Units.count(s.bytes()) + " bytes (" + s.blocks() + " blocks)"
                : "not measured: " + s.marked() + " cycles marked, too few for a steady figure (needs warm-up + one complete cycle + the open last one)";
    }

    /** A change with its sign: {@code +1,024}, {@code -64,512}, {@code 0}. */
    static String signed(long delta) {
        return (delta > 0 ? "+" : "") + Units.count(delta);
    }

    private static void json(LeakDiff diff, String before, String after, String version, PrintWriter out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            JsonReport.header(g, SCHEMA, version);
            g.writeStringField("before", before);
            g.writeStringField("after", after);
            g.writeBooleanField("before_complete", diff.before().complete());
            g.writeBooleanField("after_complete", diff.after().complete());
            g.writeBooleanField("before_elf_mismatch", !diff.before().elfMatches());
            g.writeBooleanField("after_elf_mismatch", !diff.after().elfMatches());
            g.writeArrayFieldStart("conditions");
            for (LeakDiff.Named c : diff.conditions()) {
                g.writeStartObject();
                g.writeStringField("capture", c.capture());
                JsonReport.condition(g, c.condition());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("before_bytes", diff.beforeBytes());
            g.writeNumberField("before_blocks", diff.beforeBlocks());
            g.writeNumberField("after_bytes", diff.afterBytes());
            g.writeNumberField("after_blocks", diff.afterBlocks());
            cycles(g, diff.cycles());
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

    private static void cycles(JsonGenerator g, LeakDiff.Cycles c) throws IOException {
        if (c == null) {
            g.writeNullField("cycles");
            return;
        }
        g.writeObjectFieldStart("cycles");
        g.writeStringField("marker", c.marker());
        steady(g, "before", c.before());
        steady(g, "after", c.after());
        if (c.measured()) {
            g.writeNumberField("change_bytes_per_cycle", c.after().bytes() - c.before().bytes());
            g.writeNumberField("change_blocks_per_cycle", c.after().blocks() - c.before().blocks());
        } else {
            g.writeNullField("change_bytes_per_cycle");
            g.writeNullField("change_blocks_per_cycle");
        }
        g.writeEndObject();
    }

    /** Named as analyze's {@code cycles} object names them. */
    private static void steady(JsonGenerator g, String name, LeakDiff.Steady s) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", s.marked());
        g.writeNumberField("warmup", s.warmup());
        g.writeNumberField("steady_cycles", s.steadyCycles());
        g.writeNumberField("steady_bytes_per_cycle", s.bytes());
        g.writeNumberField("steady_blocks_per_cycle", s.blocks());
        g.writeEndObject();
    }
}
