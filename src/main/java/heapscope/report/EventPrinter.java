package heapscope.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;
import heapscope.trace.Event;
import heapscope.trace.Free;
import heapscope.trace.LogMessage;
import heapscope.trace.Overflow;
import heapscope.trace.Recording;
import heapscope.trace.StackTable;
import heapscope.trace.SystemEvent;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One decoded event per line, as text or JSON Lines, for looking into a capture. */
public final class EventPrinter {
    private final Recording rec;
    private final boolean json;
    private final JsonFactory factory = new JsonFactory();

    public EventPrinter(Recording rec, boolean json) {
        this.rec = rec;
        this.json = json;
    }

    public void print(Event e, PrintWriter out) throws IOException {
        out.println(json ? json(e) : text(e));
    }

    /** {@code [0.001637325] core 0 task "main": alloc 8 bytes @ 0x3ffb68a0 by 0x40081eff:0x40081f34}. */
    public String text(Event e) {
        String head = "[" + Units.seconds9(e.timeNs()) + "] core " + Units.core(e.core());
        return Escape.terminal(switch (e) {
            case Alloc a -> head + ctx(a.context()) + ": " + (a.failed() ? "alloc FAILED " + a.size() + " bytes"
                    : "alloc " + a.size() + " bytes @ " + Units.hex(a.address())) + " by " + callers(a.stack());
            case Free f -> head + ctx(f.context()) + ": " + (f.ofNull() ? "free(NULL)" : "free @ " + Units.hex(f.address()))
                    + " by " + callers(f.stack());
            case LogMessage m -> head + ctx(m.context()) + ": log " + stripNewline(m.text());
            case Overflow o -> head + " OVERFLOW: " + o.dropped() + " events dropped";
            case SystemEvent s -> head + ctx(s.context()) + ": " + s.name() + "(" + s.id() + ")" + (s.detail().isEmpty() ? "" : " " + s.detail());
            case Snapshot s -> head + " heap listing #" + s.index() + " " + (s.boundary() == Snapshot.Boundary.START ? "start" : "end")
                    + " (" + s.kind() + ", line " + s.line() + ")";
            case HeapSample h -> head + " heap " + h.label() + ":" + figure(" free", h.free()) + figure(" min_free", h.minFree())
                    + figure(" largest_free_block", h.largestFree()) + figure(" allocated", h.allocated())
                    + figure(" len", h.length()) + figure(" alloc_blocks", h.allocBlocks()) + figure(" free_blocks", h.freeBlocks()) + " (line " + h.line() + ")";
            case Corruption c -> head + " " + (c.kasan() ? "KASAN " + c.access().size() + "-byte " + c.access().label() + " " : "CORRUPT HEAP ") + c.kind() + (c.address() != 0 ? " at " + Units.hex(c.address()) : "") + " (line " + c.line() + ")";
            case Crash c -> head + " CRASH " + c.reason() + (c.backtrace().isEmpty() ? "" : " backtrace " + pcs(c)) + " (line " + c.line() + ")";
        });
    }

    private String json(Event e) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = factory.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("time_ns", e.timeNs());
            Units.core(g, "core", e.core());
            switch (e) {
                case Alloc a -> {
                    g.writeStringField("type", a.failed() ? "alloc_failed" : "alloc");
                    context(g, a.context());
                    g.writeStringField("address", Units.hex(a.address()));
                    g.writeNumberField("size", a.size());
                    callers(g, a.stack());
                }
                case Free f -> {
                    g.writeStringField("type", f.ofNull() ? "free_null" : "free");
                    context(g, f.context());
                    g.writeStringField("address", Units.hex(f.address()));
                    callers(g, f.stack());
                }
                case LogMessage m -> {
                    g.writeStringField("type", "log");
                    context(g, m.context());
                    g.writeStringField("text", m.text());
                }
                case Overflow o -> {
                    g.writeStringField("type", "overflow");
                    g.writeNumberField("dropped", o.dropped());
                }
                case SystemEvent s -> {
                    g.writeStringField("type", "system");
                    context(g, s.context());
                    g.writeNumberField("id", s.id());
                    g.writeStringField("name", s.name());
                    g.writeStringField("detail", s.detail());
                }
                case Snapshot s -> {
                    g.writeStringField("type", s.boundary() == Snapshot.Boundary.START ? "snapshot_start" : "snapshot_end");
                    g.writeNumberField("index", s.index());
                    g.writeStringField("kind", s.kind());
                    g.writeNumberField("line", s.line());
                }
                case HeapSample h -> {
                    g.writeStringField("type", "heap_sample");
                    g.writeNumberField("line", h.line());
                    g.writeBooleanField("timed", h.timed());
                    g.writeStringField("label", h.label());
                    JsonReport.sampleFigures(g, h);
                }
                case Corruption c -> {
                    g.writeStringField("type", "corruption");
                    JsonReport.corruptionFields(g, c);
                }
                case Crash c -> {
                    g.writeStringField("type", "crash");
                    JsonReport.crashFields(g, c);
                }
            }
            g.writeEndObject();
        }
        return w.toString();
    }

    private void context(JsonGenerator g, int id) throws IOException {
        Context c = rec.contexts().get(id);
        g.writeStringField("task", c.name());
        g.writeStringField("context_kind", JsonReport.kind(c));
    }

    private void callers(JsonGenerator g, int stack) throws IOException {
        StackTable t = rec.stacks();
        g.writeArrayFieldStart("callers");
        for (int k = 0; k < t.depth(stack); k++) {
            g.writeString(Units.hex(t.frame(stack, k)));
        }
        g.writeEndArray();
    }

    private static String figure(String name, long value) {
        return value < 0 ? "" : name + " " + value;
    }

    private static String pcs(Crash c) {
        StringBuilder b = new StringBuilder();
        for (long pc : c.backtrace()) {
            b.append(b.isEmpty() ? "" : " ").append(Units.hex(pc));
        }
        return b.append(c.truncated() ? " ..." : "").toString();
    }

    /** {@code  task "main"} with its leading space; nothing where the capture does not say (a heap dump records no task). */
    private String ctx(int id) {
        Context c = rec.contexts().get(id);
        return c.kind() == Context.Kind.UNKNOWN ? "" : " " + c.describe();
    }

    private String callers(int stack) {
        StackTable t = rec.stacks();
        if (t.depth(stack) == 0) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < t.depth(stack); k++) {
            if (k > 0) {
                b.append(':');
            }
            b.append("0x").append(Long.toHexString(t.frame(stack, k)));
        }
        return b.toString();
    }

    private static String stripNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
