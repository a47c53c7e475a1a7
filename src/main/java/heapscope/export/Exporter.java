package heapscope.export;

import heapscope.analysis.Findings;
import heapscope.report.Named;
import heapscope.symbols.FrameTable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One format other tools read. {@link #ALL} is the list export's --format accepts and its help names; a new export
 * is one more entry there.
 */
public interface Exporter extends Named {
    /** Every export, in the order help lists them. */
    List<Exporter> ALL = List.of(
            of("pprof", "gzipped profile.proto for go tool pprof (inuse/alloc space and objects, labels)", true, (f, title, out) -> {
                FrameTable table = f.frames();
                new PprofExport(f.report(), stackFrames(f), table.symbolic() ? Binary.of(table.elf()) : null, table::inImage, title,
                        f.siteData() == null ? List.of() : f.siteData().allocators()).write(out);
            }),
            of("folded", "folded stacks for flamegraph.pl (leaked bytes per call stack)", false, (f, title, out) ->
                    new FoldedExport(f.report(), stackFrames(f)).write(out)),
            of("speedscope", "speedscope JSON (leaked and allocated bytes per call stack)", false, (f, title, out) ->
                    new SpeedscopeExport(f.report(), stackFrames(f), title).write(out)),
            of("chrome", "Chrome trace event JSON for the Perfetto UI (heap timeline, cycles, leaks)", false, (f, title, out) ->
                    new ChromeTraceExport(f.report(), stackFrames(f), title).write(out)));

    /** Whether the export is binary data, which must not be written to a terminal. */
    boolean binary();

    /** @param title names the tool and the capture, for formats that carry one */
    void write(Findings findings, String title, OutputStream out) throws IOException;

    /** The export NAME; an unknown one is an input error naming those there are. */
    static Exporter named(String name) {
        return Named.find(ALL, name);
    }

    /** The capture's stacks as the exports name their frames, from the findings' one frame table. */
    private static StackFrames stackFrames(Findings f) {
        return new StackFrames(f.report().recording().stacks(), f.frames().names() != FrameTable.Names.NONE ? f.frames()::callerFrames : null);
    }

    /** How a registered export writes. */
    @FunctionalInterface
    interface Body {
        void write(Findings findings, String title, OutputStream out) throws IOException;
    }

    private static Exporter of(String name, String summary, boolean binary, Body body) {
        record Registered(String name, String summary, boolean binary, Body body) implements Exporter {
            @Override
            public void write(Findings findings, String title, OutputStream out) throws IOException {
                body.write(findings, title, out);
            }
        }
        return new Registered(name, summary, binary, body);
    }
}
