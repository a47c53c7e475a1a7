package heapscope.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A speedscope file (https://www.speedscope.app/file-format-schema.json): "sampled" profiles whose samples are
 * call stacks (root first) weighted by leaked bytes, leaked blocks and allocated bytes.
 */
public final class SpeedscopeExport {
    public static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";

    private final LeakReport report;
    private final StackFrames frames;
    private final String name;
    private final Map<StackFrames.Named, Integer> frameIds = new LinkedHashMap<>();

    public SpeedscopeExport(LeakReport report, StackFrames frames, String name) {
        this.report = report;
        this.frames = frames;
        this.name = name;
    }

    /** One profile: stack ids and their weights. */
    private record Profile(String name, String unit, List<int[]> samples, List<Long> weights) {
    }

    public void write(OutputStream out) throws IOException {
        List<Profile> profiles = new ArrayList<>();
        Profile bytes = new Profile("leaked bytes", "bytes", new ArrayList<>(), new ArrayList<>());
        Profile blocks = new Profile("leaked blocks", "none", new ArrayList<>(), new ArrayList<>());
        for (LeakGroup g : report.groups()) {
            int[] stack = stack(g.stack());
            bytes.samples().add(stack);
            bytes.weights().add(g.bytes());
            blocks.samples().add(stack);
            blocks.weights().add(g.blocks());
        }
        Profile allocated = new Profile("allocated bytes", "bytes", new ArrayList<>(), new ArrayList<>());
        for (int s = 0; s < frames.stacks().size(); s++) {
            long b = report.allocated().bytes(s);
            if (b > 0) {
                allocated.samples().add(stack(s));
                allocated.weights().add(b);
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
            for (StackFrames.Named f : frameIds.keySet()) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                if (f.file() != null) {
                    g.writeStringField("file", f.file());
                }
                if (f.line() > 0) {
                    g.writeNumberField("line", f.line());
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
        for (long w : p.weights()) {
            total += w;
        }
        g.writeStartObject();
        g.writeStringField("type", "sampled");
        g.writeStringField("name", p.name());
        g.writeStringField("unit", p.unit());
        g.writeNumberField("startValue", 0);
        g.writeNumberField("endValue", total);
        g.writeArrayFieldStart("samples");
        for (int[] s : p.samples()) {
            g.writeArray(s, 0, s.length);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("weights");
        for (long w : p.weights()) {
            g.writeNumber(w);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Frame indexes of a stack, root first as speedscope's sampled profiles want. */
    private int[] stack(int stack) {
        List<StackFrames.Named> named = frames.rootFirst(stack);
        int[] ids = new int[named.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = frameIds.computeIfAbsent(named.get(i), k -> frameIds.size());
        }
        return ids;
    }
}
