package heapscope.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.coredump.CoreDump;
import heapscope.coredump.CrashAnalysis;
import heapscope.coredump.MemoryRegion;
import heapscope.coredump.NamedValue;
import heapscope.coredump.StackFrame;
import heapscope.coredump.TaskInfo;

import java.io.IOException;
import java.io.Writer;

/**
 * A core dump as JSON (docs/coredump.md): what the text report says, for CI and scripts. The frames are the text's
 * ({@link CoreDumpReport#lines}); the heap at the crash is written as in the leak report's
 * {@code incidents.crashes[].heap_at_crash}.
 */
public final class CoreDumpJson {
    public static final String SCHEMA = "heapscope/core-dump/1";

    private final CoreDumpReport report;
    private final String version;

    public CoreDumpJson(CoreDumpReport report, String version) {
        this.report = report;
        this.version = version;
    }

    public void write(CrashAnalysis.Result r, CoreDumpReport.HeapParts parts, Writer out) throws IOException {
        CoreDump d = r.dump();
        try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            JsonReport.open(g, SCHEMA, version);
            g.writeStringField("chip", d.chipName());
            g.writeStringField("format", d.elfFormat() ? "elf" : "binary");
            g.writeStringField("version", String.format("0x%04x", d.version()));
            JsonReport.strings(g, "warnings", r.warnings());
            CrashAnalysis.Task crashed = r.crashed();
            g.writeObjectFieldStart("crash");
            if (crashed == null || d.crashedTcb() == 0xdeadbeefL) {
                g.writeNullField("tcb");
                g.writeNullField("task");
            } else {
                g.writeStringField("tcb", Units.hex(crashed.dump().tcb()));
                g.writeStringField("task", crashed.info() == null ? null : crashed.info().name());
            }
            if (d.isrContext() == null) {
                g.writeNullField("in_interrupt");
            } else {
                g.writeBooleanField("in_interrupt", d.isrContext());
            }
            g.writeStringField("panic_reason", d.panicReason());
            g.writeObjectFieldStart("exception_registers");
            for (NamedValue v : d.exceptionRegisters()) {
                g.writeStringField(v.name(), Units.hex(v.value()));
            }
            g.writeEndObject();
            if (parts.failed() != null) {
                g.writeObjectFieldStart("failed_allocation");
                g.writeNumberField("size", parts.failed().size());
                g.writeStringField("caps", parts.failed().caps() < 0 ? null : Units.hex(parts.failed().caps()));
                g.writeNumberField("line", parts.failedLine());
                g.writeEndObject();
            } else {
                g.writeNullField("failed_allocation");
            }
            g.writeEndObject();
            g.writeArrayFieldStart("tasks");
            for (CrashAnalysis.Task t : r.tasks()) {
                task(g, t, t == crashed);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("regions");
            for (MemoryRegion m : r.regions()) {
                g.writeStartObject();
                g.writeStringField("name", m.name());
                g.writeStringField("address", Units.hex(m.address()));
                g.writeNumberField("size", m.size());
                g.writeStringField("attributes", m.attributes().strip());
                g.writeEndObject();
            }
            g.writeEndArray();
            JsonReport.crashHeap(g, parts.heap());
            g.writeEndObject();
        }
        out.write(System.lineSeparator());
        out.flush();
    }

    private void task(JsonGenerator g, CrashAnalysis.Task t, boolean crashed) throws IOException {
        TaskInfo i = t.info();
        g.writeStartObject();
        g.writeStringField("tcb", Units.hex(t.dump().tcb()));
        g.writeStringField("name", i == null ? null : i.name());
        g.writeBooleanField("crashed", crashed);
        number(g, "priority", i == null ? null : i.priority());
        number(g, "base_priority", i == null ? null : i.basePriority());
        number(g, "stack_used", i == null ? null : i.stackUsed());
        number(g, "stack_free", i == null ? null : i.stackFree());
        g.writeBooleanField("corrupted", t.dump().corrupted());
        g.writeArrayFieldStart("backtrace");
        for (StackFrame f : t.backtrace().frames()) {
            g.writeStartObject();
            g.writeStringField("pc", Units.hex(f.pc()));
            g.writeStringField("sp", Units.hex(f.sp()));
            g.writeArrayFieldStart("frames"); // innermost first, inline frames expanded
            for (CoreDumpReport.Line l : report.lines(f)) {
                g.writeStartObject();
                g.writeStringField("function", l.function());
                g.writeStringField("file", l.file());
                g.writeNumberField("line", l.line());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("backtrace_stopped", t.backtrace().stopReason());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }
}
