package heapscope.export;

import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.report.Escape;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leaked bytes as folded stacks, the input of flamegraph.pl: one line per call stack, {@code root;...;leaf bytes}.
 * Stacks that read the same once symbolized (e.g. calls from different lines of one function) share a line.
 */
public final class FoldedExport {
    private final LeakReport report;
    private final StackFrames frames;

    public FoldedExport(LeakReport report, StackFrames frames) {
        this.report = report;
        this.frames = frames;
    }

    public void write(OutputStream out) throws IOException {
        Map<String, Long> lines = new LinkedHashMap<>();
        for (LeakGroup g : report.groups()) {
            lines.merge(stack(g.stack()), g.bytes(), Long::sum);
        }
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (Map.Entry<String, Long> e : lines.entrySet()) {
            w.write(e.getKey());
            w.write(' ');
            w.write(Long.toString(e.getValue()));
            w.write('\n');
        }
        w.flush();
    }

    private String stack(int stack) {
        List<StackFrames.Named> named = frames.rootFirst(stack);
        if (named.isEmpty()) {
            return "[no callers]";
        }
        StringBuilder line = new StringBuilder();
        for (StackFrames.Named n : named) {
            if (!line.isEmpty()) {
                line.append(';');
            }
            line.append(name(n.name()));
        }
        return line.toString();
    }

    /**
     * A frame name that cannot break the format: ';' separates frames and a line end ends the record, so ';'
     * becomes ':' and control characters become visible escapes.
     */
    static String name(String s) {
        String clean = Escape.terminal(s.replace(';', ':'));
        return clean.isEmpty() ? "??" : clean;
    }
}
