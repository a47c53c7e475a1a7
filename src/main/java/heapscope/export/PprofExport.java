package heapscope.export;

import heapscope.analysis.LeakGroup;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.analysis.NamePattern;
import heapscope.analysis.PeakReport;
import heapscope.chip.Region;
import heapscope.symbols.Frame;
import heapscope.report.Units;
import heapscope.trace.Context;
import heapscope.trace.ContextTable;
import heapscope.trace.StackTable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongPredicate;
import java.util.zip.GZIPOutputStream;

/**
 * The leaks and allocations as a pprof profile (gzipped profile.proto), for {@code go tool pprof} and the tools
 * that read it. Values per sample: inuse_space, inuse_objects (the blocks still live at the end of the capture),
 * alloc_space, alloc_objects (everything allocated). Leaked blocks give one sample per call stack and label set
 * (task, core, region, cycle); allocation totals are known per call stack only, so they come as one unlabelled
 * sample per stack, with peak_bytes, peak_objects: what the stack held when the traced live bytes peaked. Each caller address is one location; its inline chain is the location's lines, innermost
 * first. The allocator list goes in as {@code drop_frames}, so pprof charges each sample to the allocator's caller.
 */
public final class PprofExport {
    // profile.proto field numbers
    private static final int PROFILE_SAMPLE_TYPE = 1;
    private static final int PROFILE_SAMPLE = 2;
    private static final int PROFILE_MAPPING = 3;
    private static final int PROFILE_LOCATION = 4;
    private static final int PROFILE_FUNCTION = 5;
    private static final int PROFILE_STRING_TABLE = 6;
    private static final int PROFILE_DROP_FRAMES = 7;
    private static final int PROFILE_DURATION_NANOS = 10;
    private static final int PROFILE_COMMENT = 13;
    private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14;

    private final LeakReport report;
    private final StackFrames frames;
    private final Binary binary;
    private final LongPredicate inBinary;
    private final CycleIndex cycles;
    private final String comment;
    private final List<NamePattern> allocators;

    private final StringTable strings = new StringTable();
    private final Map<Long, Long> locationIds = new LinkedHashMap<>();
    private final Map<FunctionKey, Long> functionIds = new LinkedHashMap<>();
    private final List<ProtoWriter> locations = new ArrayList<>();

    /**
     * @param binary   the firmware, for the mapping; null without an ELF
     * @param inBinary which addresses the firmware holds (others, e.g. ROM, get no mapping)
     * @param comment  shown by {@code pprof -comments}
     * @param allocators functions that allocate for their caller (the site analysis's list): pprof drops them and
     *                   what they call, from the outermost one in
     */
    public PprofExport(LeakReport report, StackFrames frames, Binary binary, LongPredicate inBinary, String comment, List<NamePattern> allocators) {
        this.report = report;
        this.frames = frames;
        this.binary = binary;
        this.inBinary = inBinary;
        this.cycles = new CycleIndex(report.cycles());
        this.comment = comment;
        this.allocators = List.copyOf(allocators);
    }

    private record FunctionKey(String name, String file) {
    }

    /** What splits a call stack's leaks into samples. */
    private record Labels(String task, int core, String region, int cycle) {
    }

    public void write(OutputStream out) throws IOException {
        List<ProtoWriter> samples = new ArrayList<>();
        leakSamples(samples);
        allocationSamples(samples);

        ProtoWriter profile = new ProtoWriter();
        for (String[] type : new String[][] {{"inuse_space", "bytes"}, {"inuse_objects", "count"},
                {"alloc_space", "bytes"}, {"alloc_objects", "count"}, {"peak_bytes", "bytes"}, {"peak_objects", "count"}}) {
            profile.message(PROFILE_SAMPLE_TYPE, new ProtoWriter().varint(1, strings.id(type[0])).varint(2, strings.id(type[1])));
        }
        for (ProtoWriter s : samples) {
            profile.message(PROFILE_SAMPLE, s);
        }
        if (binary != null) {
            profile.message(PROFILE_MAPPING, new ProtoWriter()
                    .varint(1, 1)
                    .varint(2, binary.start())
                    .varint(3, binary.limit())
                    .varint(5, strings.id(binary.file()))
                    .varint(6, strings.id(binary.buildId()))
                    // symbolized here: tells pprof not to look for the binary to symbolize it again
                    .bool(7, true).bool(8, true).bool(9, true).bool(10, true));
        }
        for (ProtoWriter l : locations) {
            profile.message(PROFILE_LOCATION, l);
        }
        for (Map.Entry<FunctionKey, Long> f : functionIds.entrySet()) {
            long name = strings.id(f.getKey().name());
            profile.message(PROFILE_FUNCTION, new ProtoWriter()
                    .varint(1, f.getValue())
                    .varint(2, name)
                    .varint(3, name)
                    .varint(4, f.getKey().file() == null ? 0 : strings.id(f.getKey().file())));
        }
        if (!allocators.isEmpty()) {
            profile.varint(PROFILE_DROP_FRAMES, strings.id(dropFrames(allocators)));
        }
        long commentId = strings.id(comment);
        long defaultType = strings.id("inuse_space");
        for (String s : strings.strings()) {
            profile.string(PROFILE_STRING_TABLE, s);
        }
        profile.varint(PROFILE_DURATION_NANOS, Math.max(0, report.counts().lastNs() - report.counts().firstNs()));
        profile.packed(PROFILE_COMMENT, new long[] {commentId});
        profile.varint(PROFILE_DEFAULT_SAMPLE_TYPE, defaultType);

        GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
        profile.writeTo(gzip);
        gzip.finish();
        out.flush();
    }

    /**
     * The allocator patterns as one regular expression for pprof, which anchors it and matches it against each
     * function name without its parameter list, as the patterns are matched here. Java's {@code \\Q...\\E} quoting
     * and {@code (?:...)} groups are RE2 syntax too.
     */
    static String dropFrames(List<NamePattern> allocators) {
        StringJoiner j = new StringJoiner("|");
        for (NamePattern p : allocators) {
            j.add(p.regex().pattern());
        }
        return j.toString();
    }

    private void leakSamples(List<ProtoWriter> samples) {
        ContextTable contexts = report.recording().contexts();
        Map<Integer, Map<Labels, long[]>> byStack = new HashMap<>();
        for (LeakedBlock b : report.leaks()) {
            Labels labels = new Labels(task(contexts.get(b.context())), b.core(), b.region() == null || b.region() == Region.UNKNOWN ? null : b.region().label(),
                    cycles.at(b.timeNs()));
            long[] v = byStack.computeIfAbsent(b.stack(), k -> new LinkedHashMap<>()).computeIfAbsent(labels, k -> new long[2]);
            v[0] += b.size();
            v[1]++;
        }
        // in the report's order, largest call stack first
        for (LeakGroup g : report.groups()) {
            Map<Labels, long[]> split = byStack.getOrDefault(g.stack(), Map.of());
            long[] locationIds = locations(g.stack());
            for (Map.Entry<Labels, long[]> e : split.entrySet()) {
                ProtoWriter sample = new ProtoWriter()
                        .packed(1, locationIds)
                        .packed(2, new long[] {e.getValue()[0], e.getValue()[1], 0, 0, 0, 0});
                Labels l = e.getKey();
                if (l.task() != null) {
                    sample.message(3, new ProtoWriter().varint(1, strings.id("task")).varint(2, strings.id(l.task())));
                }
                // a string: pprof drops numeric labels whose value is 0, and core 0 is the usual one
                sample.message(3, new ProtoWriter().varint(1, strings.id("core")).varint(2, strings.id(Units.core(l.core()))));
                if (l.region() != null) {
                    sample.message(3, new ProtoWriter().varint(1, strings.id("region")).varint(2, strings.id(l.region())));
                }
                if (l.cycle() > 0) {
                    sample.message(3, new ProtoWriter().varint(1, strings.id("cycle")).varint(3, l.cycle()));
                }
                inferred(sample, g.stack());
                samples.add(sample);
            }
        }
    }

    /** Per call stack, unlabelled: everything it allocated, and what it held when the traced live bytes peaked. */
    private void allocationSamples(List<ProtoWriter> samples) {
        LeakReport.Allocated allocated = report.allocated();
        Map<Integer, PeakReport.Site> atPeak = new HashMap<>();
        if (report.peaks().peak() != null) {
            report.peaks().peak().sites().forEach(site -> atPeak.put(site.stack(), site));
        }
        StackTable stacks = frames.stacks();
        for (int stack = 0; stack < stacks.size(); stack++) {
            long blocks = allocated.blocks(stack);
            PeakReport.Site peak = atPeak.get(stack);
            if (blocks > 0 || peak != null) {
                ProtoWriter sample = new ProtoWriter()
                        .packed(1, locations(stack))
                        .packed(2, new long[] {0, 0, allocated.bytes(stack), blocks, peak == null ? 0 : peak.bytes(), peak == null ? 0 : peak.blocks()});
                inferred(sample, stack);
                samples.add(sample);
            }
        }
    }

    /** Labels a sample whose outermost frames came from the call graph, not the device, with how many they are. */
    private void inferred(ProtoWriter sample, int stack) {
        int n = frames.stacks().inferred(stack);
        if (n > 0) {
            sample.message(3, new ProtoWriter().varint(1, strings.id("inferred_frames")).varint(3, n));
        }
    }

    /** A task's name as a label value; interrupt handlers are marked, unknown contexts get no label. */
    private static String task(Context c) {
        return switch (c.kind()) {
            case TASK, IDLE -> c.name();
            case ISR -> "IRQ " + c.name();
            case UNKNOWN -> null;
        };
    }

    /** Location ids of a stack, leaf first as pprof wants. */
    private long[] locations(int stack) {
        StackTable stacks = frames.stacks();
        long[] ids = new long[stacks.depth(stack)];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = location(stacks.frame(stack, k));
        }
        return ids;
    }

    private long location(long address) {
        Long id = locationIds.get(address);
        if (id != null) {
            return id;
        }
        long newId = locationIds.size() + 1;
        locationIds.put(address, newId);
        ProtoWriter location = new ProtoWriter()
                .varint(1, newId)
                .varint(2, binary != null && inBinary.test(address) ? 1 : 0)
                .varint(3, address);
        for (Frame f : frames.frames(address)) { // innermost first: pprof's order for inline chains too
            String name = f.function() == null ? "?? " + StackFrames.hex(address) : f.function();
            long function = functionIds.computeIfAbsent(new FunctionKey(name, f.file()), k -> (long) functionIds.size() + 1);
            location.message(4, new ProtoWriter().varint(1, function).varint(2, f.line()));
        }
        locations.add(location);
        return newId;
    }
}
