package heapscope.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.CycleReport;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.analysis.Timeline;
import heapscope.symbols.Frame;
import heapscope.trace.ContextTable;
import heapscope.trace.HeapSample;
import heapscope.trace.StackTable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The capture as Chrome trace events (the Trace Event Format read by the Perfetto UI and speedscope): counter
 * tracks for live traced bytes (lowest, highest and last value of each timeline bucket, so dips survive
 * downsampling) and free-heap readings, one slice per cycle of work with an instant event at its marker, and one
 * slice per leaking call stack from its first to its last leaked block. Times are whole microseconds of capture
 * time: readers add a slice's duration to its start in floating point (speedscope after subtracting the first
 * start), and only integers make a cycle end exactly where the next one starts instead of a rounding hair after it.
 */
public final class ChromeTraceExport {
    private static final int PID = 1;
    private static final int TID_HEAP = 0;
    private static final int TID_CYCLES = 1;
    private static final int TID_FIRST_LEAK = 100;

    private final LeakReport report;
    private final StackFrames frames;
    private final String name;

    public ChromeTraceExport(LeakReport report, StackFrames frames, String name) {
        this.report = report;
        this.frames = frames;
        this.name = name;
    }

    public void write(OutputStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) { // the caller owns the stream (standard output)
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ms");
            g.writeArrayFieldStart("traceEvents");
            metadata(g, "process_name", TID_HEAP, name);
            metadata(g, "thread_name", TID_HEAP, "heap");
            timeline(g);
            samples(g);
            cycles(g);
            leaks(g);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private void timeline(JsonGenerator g) throws IOException {
        // one counter, three series: Perfetto names each track "<name> <series>", so the unit is in the name once
        for (Timeline.Point p : report.timeline()) {
            begin(g, "live traced bytes", "C", TID_HEAP, p.startNs());
            g.writeObjectFieldStart("args");
            g.writeNumberField("min", p.min());
            g.writeNumberField("max", p.max());
            g.writeNumberField("last", p.last());
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private void samples(JsonGenerator g) throws IOException {
        for (HeapSample s : report.incidents().samples()) {
            if (!s.timed()) {
                continue; // only their order is known: no place on a time axis
            }
            String label = s.label() == null || s.label().isEmpty() ? "" : " (" + s.label() + ")";
            if (s.free() >= 0) {
                counter(g, "free heap" + label, s.timeNs(), s.free());
            }
            if (s.minFree() >= 0) {
                counter(g, "min free heap" + label, s.timeNs(), s.minFree());
            }
        }
    }

    private void cycles(JsonGenerator g) throws IOException {
        CycleReport c = report.cycles();
        if (c == null || c.cycles().isEmpty()) {
            return;
        }
        metadata(g, "thread_name", TID_CYCLES, "cycles");
        for (CycleReport.Cycle cycle : c.cycles()) {
            begin(g, "cycle " + (cycle.index() + 1), "i", TID_CYCLES, cycle.startNs());
            g.writeStringField("s", "g");
            g.writeObjectFieldStart("args");
            g.writeStringField("marker", cycle.marker());
            g.writeEndObject();
            g.writeEndObject();

            begin(g, "cycle " + (cycle.index() + 1), "X", TID_CYCLES, cycle.startNs());
            g.writeNumberField("dur", Math.max(0, micros(cycle.endNs()) - micros(cycle.startNs())));
            g.writeObjectFieldStart("args");
            g.writeStringField("marker", cycle.marker());
            g.writeNumberField("leaked_bytes", cycle.leakedBytes());
            g.writeNumberField("leaked_blocks", cycle.leakedBlocks());
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** One track per leaking call stack: slices of one track must nest, and these overlap in time. */
    private void leaks(JsonGenerator g) throws IOException {
        ContextTable contexts = report.recording().contexts();
        StackTable stacks = frames.stacks();
        int rank = 0;
        for (LeakGroup group : report.groups()) {
            rank++;
            int tid = TID_FIRST_LEAK + rank;
            metadata(g, "thread_name", tid, "leak #" + rank);
            begin(g, "leak #" + rank + ": " + group.bytes() + " bytes in " + group.blocks() + " blocks", "X", tid, group.firstNs());
            g.writeNumberField("dur", Math.max(1, micros(group.lastNs()) - micros(group.firstNs())));
            g.writeObjectFieldStart("args");
            g.writeNumberField("bytes", group.bytes());
            g.writeNumberField("blocks", group.blocks());
            g.writeArrayFieldStart("tasks");
            for (int context : group.contexts()) {
                g.writeString(contexts.get(context).name());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("stack"); // innermost first, as debuggers print a backtrace
            for (int k = 0; k < stacks.depth(group.stack()); k++) {
                long address = stacks.frame(group.stack(), k);
                List<Frame> fs = frames.frames(address);
                if (fs.isEmpty()) {
                    g.writeString(StackFrames.hex(address));
                }
                for (Frame f : fs) {
                    g.writeString(StackFrames.hex(address) + ": " + (f.function() == null ? "??" : f.function())
                            + (f.file() == null ? "" : " at " + f.file() + ":" + f.line()) + (f.inlined() ? " (inlined)" : ""));
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void metadata(JsonGenerator g, String kind, int tid, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", kind);
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeStringField("name", value);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A counter of one series, "bytes": Perfetto's track is "NAME bytes". */
    private static void counter(JsonGenerator g, String name, long timeNs, long value) throws IOException {
        begin(g, name, "C", TID_HEAP, timeNs);
        g.writeObjectFieldStart("args");
        g.writeNumberField("bytes", value);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Opens an event with the fields every phase has; the caller adds the rest and closes it. */
    private static void begin(JsonGenerator g, String name, String phase, int tid, long timeNs) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("ph", phase);
        g.writeNumberField("ts", micros(timeNs));
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid);
    }

    /** Whole microseconds, rounded down: times that are equal or ordered in nanoseconds stay so. */
    private static long micros(long ns) {
        return Math.floorDiv(ns, 1000);
    }
}
