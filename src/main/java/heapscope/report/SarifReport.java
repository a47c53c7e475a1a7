package heapscope.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.Budgets;
import heapscope.analysis.Findings;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.symbols.Frame;
import heapscope.symbols.FrameTable;
import heapscope.trace.Condition;
import heapscope.trace.StackTable;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 for code scanning: one result per leaking site at its first frame outside the allocator, its call
 * stacks as SARIF stacks; the capture's conditions and failed budgets as the invocation's notifications and in the
 * run's properties (docs/ci.md).
 */
public final class SarifReport {
    static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    /** The one rule: its id is what code scanning groups alerts by. */
    static final String RULE = "heap-leak";
    /** The base that --source-root makes paths relative to. */
    private static final String ROOT = "SRCROOT";

    private final Findings findings;
    private final String version;
    private final String sourceRoot;
    private final Map<Integer, Integer> rankOfStack = new HashMap<>();

    /** @param sourceRoot --source-root, or null */
    public SarifReport(Findings findings, String version, String sourceRoot) {
        this.findings = findings;
        this.version = version;
        this.sourceRoot = sourceRoot;
        List<LeakGroup> groups = findings.report().groups();
        for (int i = 0; i < groups.size(); i++) {
            rankOfStack.put(groups.get(i).stack(), i + 1);
        }
    }

    public void write(Writer writer) throws IOException {
        Annotations a = Annotations.of(findings, sourceRoot);
        try (JsonGenerator g = new JsonFactory().createGenerator(writer)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("version", "2.1.0");
            g.writeArrayFieldStart("runs");
            g.writeStartObject();
            tool(g);
            invocation(g, a.failed());
            if (sourceRoot != null) {
                g.writeObjectFieldStart("originalUriBaseIds");
                g.writeObjectFieldStart(ROOT);
                g.writeStringField("uri", uri(directory(sourceRoot), false));
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeArrayFieldStart("results");
            for (Annotations.Annotation an : a.annotations()) {
                result(g, an);
            }
            g.writeEndArray();
            properties(g);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        writer.write('\n');
        writer.flush();
    }

    private void tool(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("tool");
        g.writeObjectFieldStart("driver");
        g.writeStringField("name", "heapscope");
        g.writeStringField("version", version);
        g.writeArrayFieldStart("rules");
        g.writeStartObject();
        g.writeStringField("id", RULE);
        g.writeStringField("name", "HeapLeak");
        text(g, "shortDescription", "Heap memory allocated and never freed");
        text(g, "fullDescription", "Blocks allocated at this site during the capture were still allocated when it ended. "
                + "The location is the site's first frame outside the allocator; the result's stacks are its call stacks.");
        text(g, "help", "Free the blocks on every path, or accept them with --suppress. Level error: the leak counts toward a "
                + "budget that failed (--max-leaked-bytes, --max-leak-per-cycle, --max-site-bytes); note: suppressed, or a "
                + "rule calls it expected; warning: every other leak.");
        g.writeObjectFieldStart("defaultConfiguration");
        g.writeStringField("level", "warning");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The run's conditions and failed budgets, as notifications code scanning shows with the upload. */
    private void invocation(JsonGenerator g, List<Budgets.Check> failed) throws IOException {
        List<Condition> conditions = findings.report().recording().conditions();
        g.writeArrayFieldStart("invocations");
        g.writeStartObject();
        g.writeBooleanField("executionSuccessful", true);
        g.writeArrayFieldStart("toolExecutionNotifications");
        for (Condition c : conditions) {
            notification(g, "warning", c.kind().id(), c.headline());
        }
        String starved = DiagnosticLines.fragmentation(findings.report());
        if (starved != null) {
            notification(g, "warning", "fragmentation", starved);
        }
        for (Budgets.Check c : failed) {
            notification(g, "error", "budget/" + c.name(), "Budget " + c.name() + " exceeded: " + c.detail() + " (budget " + c.limit() + ")");
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void notification(JsonGenerator g, String level, String id, String message) throws IOException {
        g.writeStartObject();
        g.writeStringField("level", level);
        text(g, "message", message);
        g.writeObjectFieldStart("descriptor");
        g.writeStringField("id", id);
        g.writeEndObject();
        g.writeEndObject();
    }

    private void result(JsonGenerator g, Annotations.Annotation a) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", RULE);
        g.writeNumberField("ruleIndex", 0);
        g.writeStringField("level", a.level().word());
        text(g, "message", a.message());
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        physical(g, a.file(), a.relative(), a.line(), a.address());
        logical(g, a.function());
        g.writeEndObject();
        g.writeEndArray();
        stacks(g, a.stacks());
        if (a.suppressedBy() != null) {
            g.writeArrayFieldStart("suppressions");
            g.writeStartObject();
            g.writeStringField("kind", "external");
            g.writeStringField("justification", "leak:" + a.suppressedBy() + " (--suppress)");
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeObjectFieldStart("properties");
        g.writeStringField("title", a.title());
        g.writeNumberField("bytes", a.bytes());
        g.writeNumberField("blocks", a.blocks());
        if (a.bytesPerCycle() >= 0) {
            g.writeNumberField("bytesPerCycle", a.bytesPerCycle());
        }
        g.writeStringField("component", a.component());
        if (a.rule() != null) {
            g.writeStringField("knownLeak", a.rule().name());
        }
        g.writeArrayFieldStart("budgets");
        for (Budgets.Check c : a.budgets()) {
            g.writeString(c.name());
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Each call stack of a site, innermost first, one frame per source frame (inline frames too). */
    private void stacks(JsonGenerator g, List<Integer> ids) throws IOException {
        StackTable stacks = findings.report().recording().stacks();
        FrameTable frames = findings.frames();
        g.writeArrayFieldStart("stacks");
        for (int id : ids) {
            g.writeStartObject();
            text(g, "message", "call stack #" + rankOfStack.get(id));
            g.writeArrayFieldStart("frames");
            int recorded = stacks.depth(id) - stacks.inferred(id);
            for (int k = 0; k < stacks.depth(id); k++) {
                long address = stacks.frame(id, k);
                FrameTable.Resolved r = frames.caller(address);
                List<Frame> source = frames.symbolic() ? r.frames() : List.of();
                if (source.isEmpty()) {
                    frame(g, null, 0, null, address, false, k >= recorded);
                }
                for (Frame f : source) {
                    frame(g, f.file(), f.line(), f.function(), address, f.inlined(), k >= recorded);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void frame(JsonGenerator g, String file, int line, String function, long address, boolean inlined, boolean inferred) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("location");
        String shown = file == null ? null : file.replace('\\', '/');
        String under = Annotations.under(shown, sourceRoot);
        physical(g, under != null ? under : shown, under != null, line, address);
        logical(g, function);
        g.writeEndObject();
        if (inlined || inferred) {
            g.writeObjectFieldStart("properties");
            if (inlined) {
                g.writeBooleanField("inlined", true);
            }
            if (inferred) { // completed from the call graph, not recorded by the device
                g.writeBooleanField("inferred", true);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** A file and line when known, and the code address (the return address as the capture gave it). */
    private static void physical(JsonGenerator g, String file, boolean relative, int line, long address) throws IOException {
        g.writeObjectFieldStart("physicalLocation");
        if (file != null) {
            g.writeObjectFieldStart("artifactLocation");
            g.writeStringField("uri", uri(file, relative));
            if (relative) {
                g.writeStringField("uriBaseId", ROOT);
            }
            g.writeEndObject();
            if (line > 0) {
                g.writeObjectFieldStart("region");
                g.writeNumberField("startLine", line);
                g.writeEndObject();
            }
        }
        g.writeObjectFieldStart("address");
        g.writeNumberField("absoluteAddress", address);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void logical(JsonGenerator g, String function) throws IOException {
        if (function == null) {
            return;
        }
        g.writeArrayFieldStart("logicalLocations");
        g.writeStartObject();
        g.writeStringField("name", function);
        g.writeStringField("kind", "function");
        g.writeEndObject();
        g.writeEndArray();
    }

    private void properties(JsonGenerator g) throws IOException {
        LeakReport report = findings.report();
        g.writeObjectFieldStart("properties");
        g.writeBooleanField("complete", report.recording().complete());
        g.writeNumberField("leakedBytes", report.leakedBytes());
        g.writeNumberField("leakedBlocks", report.leakedBlocks());
        g.writeArrayFieldStart("conditions");
        for (Condition c : report.recording().conditions()) {
            g.writeStartObject();
            g.writeStringField("kind", c.kind().id());
            g.writeStringField("effect", c.effect().name().toLowerCase(Locale.ROOT));
            g.writeStringField("headline", c.headline());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("budgets");
        for (Budgets.Check c : findings.checks()) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeNumberField("limit", c.limit());
            g.writeNumberField("actual", c.actual());
            g.writeBooleanField("passed", c.passed());
            g.writeStringField("detail", c.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void text(JsonGenerator g, String field, String text) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    private static String directory(String path) {
        String p = path.replace('\\', '/');
        return p.endsWith("/") ? p : p + "/";
    }

    /**
     * A path as a URI reference: relative ones as they are, absolute ones as {@code file:} URIs (a Windows drive
     * too); every byte outside the unreserved characters and {@code /} percent-encoded, {@code :} only where it
     * cannot be read as a scheme.
     */
    static String uri(String path, boolean relative) {
        String p = relative ? path : (path.startsWith("/") ? "" : "/") + path;
        StringBuilder b = new StringBuilder(relative ? "" : "file://");
        for (byte x : p.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0 || c == ':' && !relative) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
