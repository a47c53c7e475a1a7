package heapscope.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A speedscope file (https://www.speedscope.app/file-format-schema.json): "sampled" profiles whose samples are
 * call stacks (root first) weighted by leaked bytes, leaked blocks and allocated bytes. A frame is a function (and
 * its file), whatever line it calls from, so a function is one box; its line is the first of those lines. Samples
 * are sorted by their stacks, so that the "Time Order" view, which draws them in file order, shows each call
 * path as one contiguous box rather than scattered through the largest-first order.
 */
public final class SpeedscopeExport {
    public static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";

    private final LeakReport report;
    private final StackFrames frames;
    private final String name;
    /** Frame ids by function and file; the line each frame shows, the lowest seen. */
    private final Map<Function, Integer> frameIds = new LinkedHashMap<>();
    private final List<Integer> frameLines = new ArrayList<>();

    public SpeedscopeExport(LeakReport report, StackFrames frames, String name) {
        this.report = report;
        this.frames = frames;
        this.name = name;
    }

    private record Function(String name, String file) {
    }

    /** One profile: weights by stack of frame ids, in the order speedscope draws them (see {@link #STACK_ORDER}). */
    private record Profile(String name, String unit, Map<List<Integer>, Long> samples) {
        Profile(String name, String unit) {
            this(name, unit, new TreeMap<>(STACK_ORDER));
        }

        void add(List<Integer> stack, long weight) {
            samples.merge(stack, weight, Long::sum);
        }
    }

    /** Stacks compared frame by frame from the root: stacks that share a caller path come next to each other. */
    private static final Comparator<List<Integer>> STACK_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    public void write(OutputStream out) throws IOException {
        List<Profile> profiles = new ArrayList<>();
        Profile bytes = new Profile("leaked bytes", "bytes");
        Profile blocks = new Profile("leaked blocks", "none");
        for (LeakGroup g : report.groups()) { // largest first: the largest stack's frames get the lowest ids
            List<Integer> stack = stack(g.stack());
            bytes.add(stack, g.bytes());
            blocks.add(stack, g.blocks());
        }
        Profile allocated = new Profile("allocated bytes", "bytes");
        for (int s = 0; s < frames.stacks().size(); s++) {
            long b = report.allocated().bytes(s);
            if (b > 0) {
                allocated.add(stack(s), b);
            }
        }
        profiles.add(bytes);
        profiles.add(blocks);
        profiles.add(allocated);

        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) { // the caller owns the stream (standard output)
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("name", name);
            g.writeStringField("exporter", "heapscope");
            g.writeNumberField("activeProfileIndex", 0);
            g.writeObjectFieldStart("shared");
            g.writeArrayFieldStart("frames");
            for (Map.Entry<Function, Integer> f : frameIds.entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", f.getKey().name());
                if (f.getKey().file() != null) {
                    g.writeStringField("file", f.getKey().file());
                }
                int line = frameLines.get(f.getValue());
                if (line > 0) {
                    g.writeNumberField("line", line);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("profiles");
            for (Profile p : profiles) {
                profile(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void profile(JsonGenerator g, Profile p) throws IOException {
        long total = 0;
        for (long w : p.samples().values()) {
            total += w;
        }
        g.writeStartObject();
        g.writeStringField("type", "sampled");
        g.writeStringField("name", p.name());
        g.writeStringField("unit", p.unit());
        g.writeNumberField("startValue", 0);
        g.writeNumberField("endValue", total);
        g.writeArrayFieldStart("samples");
        for (List<Integer> s : p.samples().keySet()) {
            g.writeStartArray();
            for (int id : s) {
                g.writeNumber(id);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("weights");
        for (long w : p.samples().values()) {
            g.writeNumber(w);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Frame indexes of a stack, root first as speedscope's sampled profiles want. */
    private List<Integer> stack(int stack) {
        List<Integer> ids = new ArrayList<>();
        for (StackFrames.Named n : frames.rootFirst(stack)) {
            int id = frameIds.computeIfAbsent(new Function(n.name(), n.file()), k -> frameIds.size());
            if (id == frameLines.size()) {
                frameLines.add(n.line());
            } else if (n.line() > 0 && (frameLines.get(id) == 0 || n.line() < frameLines.get(id))) {
                frameLines.set(id, n.line());
            }
            ids.add(id);
        }
        return ids;
    }
}
