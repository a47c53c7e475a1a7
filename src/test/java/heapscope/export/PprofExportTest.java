package heapscope.export;

import java.util.List;
import java.nio.file.Files;
import heapscope.Fixtures;
import heapscope.TinyTrace;
import heapscope.analysis.LeakReport;
import heapscope.analysis.NamePattern;
import heapscope.demangle.Demangler;
import heapscope.sim.PeakScenario;
import heapscope.symbols.Frame;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pprof export, read back by go tool pprof (the reference reader) and by walking its wire format. */
class PprofExportTest {
    private static final Pattern TOP_ROW = Pattern.compile("^\\s*(\\d+)B?\\s+\\S+%\\s+\\S+%\\s+(\\d+)B?\\s+\\S+%\\s+(.+)$");
    private static final Path FIXTURE_ELF = Fixtures.resource("elf/xtensa-O2-dwarf4.elf");
    private static final long INLINED = 0x4008005bL; // align_up inlined into words_for inlined into fx_alloc
    private static final long ROM = 0x40000400L;

    @TempDir
    Path dir;

    private Path exampleProfile() throws IOException {
        List<String> args = new ArrayList<>(List.of(Exports.exampleInputs()));
        args.addAll(List.of("--elf", Exports.elf(), "--cycle", Exports.CYCLE));
        return Exports.exportFile(dir, "pprof", args.toArray(String[]::new));
    }

    /** function -> {flat, cum} from go tool pprof -top. */
    private static Map<String, long[]> top(String output) {
        Map<String, long[]> rows = new HashMap<>();
        for (String line : output.lines().toList()) {
            Matcher m = TOP_ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(3).strip(), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return rows;
    }

    @Test
    void goToolPprofListsTheLeakingFunctionsWithTheirBytes() throws Exception {
        Path profile = exampleProfile();
        String out = GoPprof.run(profile, "-top", "-unit=B", "-sample_index=inuse_space");
        assertThat(out).contains("Type: inuse_space").contains("Build ID: f7dbb65742edb11de04415aeeb7248731d60c8c8")
                .contains("Total samples = " + Exports.EXAMPLE_LEAKED_BYTES + "B");
        Map<String, long[]> rows = top(out);
        // drop_frames (the allocator list) charges each byte to the allocator's caller: the flat column is the
        // text report's sites, summed per function (peer_connection_open is three sites: 18,432 + 12,288 + 144)
        assertThat(rows.get("callback_init")).as(out).containsExactly(64_512, 64_512);
        assertThat(rows.get("peer_connection_open")).as(out).containsExactly(30_864, 103_536);
        assertThat(rows.get("transport_start")).as(out).containsExactly(8_160, 8_160);
        assertThat(rows.get("app_init")).as(out).containsExactly(4_608, 4_608);
        assertThat(rows.get("_start")).as(out).containsExactly(0, Exports.EXAMPLE_LEAKED_BYTES);
        assertThat(rows).as(out).doesNotContainKeys("pvPortMalloc", "malloc", "xQueueGenericCreate", "pthread_mutex_init", "pthread_create");
        assertThat(rows.values().stream().mapToLong(r -> r[0]).sum()).isEqualTo(Exports.EXAMPLE_LEAKED_BYTES);

        String objects = GoPprof.run(profile, "-top", "-sample_index=inuse_objects");
        assertThat(objects).contains("Total samples = 830");
    }

    @Test
    void goToolPprofListsTheCallingSourceLineFromTheSourceTree() throws Exception {
        // the ELF names /project/...; the docs' recipe: -trim_path the build's root, -source_path the checkout
        String out = GoPprof.run(exampleProfile(), "-unit=B", "-list", "^callback_init$", "-trim_path=/project",
                "-source_path=" + Exports.EXAMPLE.resolve("firmware"));
        assertThat(out).contains("ROUTINE ======================== callback_init in components/webrtc/peer_connection.c")
                .containsPattern("64512B\\s+64512B\\s+8:\\s+pthread_mutex_init\\(&cb->lock, 0\\);");
    }

    @Test
    void theUsersAllocatorsAreDroppedToo() throws Exception {
        Path allocators = Files.writeString(dir.resolve("allocators.txt"), "# a wrapper of this firmware\ncallback_*\n");
        List<String> args = new ArrayList<>(List.of(Exports.exampleInputs()));
        args.addAll(List.of("--elf", Exports.elf(), "--allocators", allocators.toString()));
        String out = GoPprof.run(Exports.exportFile(dir, "pprof", args.toArray(String[]::new)), "-top", "-unit=B");
        Map<String, long[]> rows = top(out);
        assertThat(rows).as(out).doesNotContainKey("callback_init");
        assertThat(rows.get("peer_connection_open")).as(out).containsExactly(30_864 + 64_512, 103_536);
    }

    @Test
    void dropFramesIsTheAllocatorListAsOneExpression() {
        String rx = PprofExport.dropFrames(List.of(NamePattern.of("heap_caps_*"), NamePattern.of("operator new*"), NamePattern.of("a.b|c")));
        // pprof anchors it: ^(...)$
        Pattern anchored = Pattern.compile("^(" + rx + ")$");
        assertThat(anchored.matcher("heap_caps_malloc").matches()).isTrue();
        assertThat(anchored.matcher("operator new").matches()).isTrue();
        assertThat(anchored.matcher("c").matches()).isTrue();
        assertThat(anchored.matcher("axb").matches()).as("a '.' is literal").isFalse();
        assertThat(anchored.matcher("my_heap_caps_malloc").matches()).isFalse();
    }

    @Test
    void goToolPprofSeesAllocationsAndFiltersByCycleLabel() throws Exception {
        Path profile = exampleProfile();
        LeakReport report = Exports.analyze(Exports.CYCLE, Exports.exampleInputs());
        long allocated = 0;
        for (long b : report.allocated().bytes()) {
            allocated += b;
        }
        assertThat(allocated).isGreaterThan(Exports.EXAMPLE_LEAKED_BYTES);
        assertThat(GoPprof.run(profile, "-top", "-unit=B", "-sample_index=alloc_space")).contains("Total samples = " + allocated + "B");
        // the text report's cycle table: 13,236 bytes in the warm-up cycle, 8,628 in every later one
        assertThat(GoPprof.run(profile, "-top", "-unit=B", "-sample_index=inuse_space", "-tagfocus=cycle=1"))
                .contains("Showing nodes accounting for 13236B");
        assertThat(GoPprof.run(profile, "-top", "-unit=B", "-sample_index=inuse_space", "-tagfocus=cycle=7"))
                .contains("Showing nodes accounting for 8628B");
        assertThat(GoPprof.run(profile, "-tags")).contains("task: Total").contains("webrtc").contains("region: Total").contains("DRAM")
                .contains("core: Total");
    }

    @Test
    void wireFormatHasTheStringTableSampleTypesLabelsAndMapping() throws IOException {
        byte[] bytes = Files.readAllBytes(exampleProfile());
        WireProfile p = WireProfile.parse(bytes);
        assertThat(p.strings().get(0)).isEmpty();
        assertThat(p.sampleTypes()).extracting(t -> p.string(t[0]) + "/" + p.string(t[1]))
                .containsExactly("inuse_space/bytes", "inuse_objects/count", "alloc_space/bytes", "alloc_objects/count", "peak_bytes/bytes",
                        "peak_objects/count");
        assertThat(p.string(p.defaultSampleType())).isEqualTo("inuse_space");

        long inuseBytes = 0;
        long inuseBlocks = 0;
        TreeSet<String> cycles = new TreeSet<>();
        for (WireProfile.Sample s : p.samples()) {
            assertThat(s.values()).hasSize(6);
            if (s.values().get(0) > 0) {
                inuseBytes += s.values().get(0);
                inuseBlocks += s.values().get(1);
                assertThat(p.label(s, "task")).isEqualTo("webrtc");
                assertThat(p.label(s, "core")).isIn("0", "1");
                assertThat(p.label(s, "region")).isEqualTo("DRAM");
                cycles.add(p.label(s, "cycle"));
            } else {
                assertThat(s.labels()).as("allocation totals are per stack, not per task").isEmpty();
            }
        }
        assertThat(inuseBytes).isEqualTo(Exports.EXAMPLE_LEAKED_BYTES);
        assertThat(inuseBlocks).isEqualTo(830);
        assertThat(cycles).hasSize(12);

        assertThat(p.mappings()).singleElement().satisfies(m -> {
            assertThat(p.string(m.buildId())).isEqualTo("f7dbb65742edb11de04415aeeb7248731d60c8c8");
            assertThat(p.string(m.filename())).isEqualTo("app.elf");
            assertThat(m.hasInlineFrames()).isTrue();
        });
        for (WireProfile.Location l : p.locations()) {
            assertThat(l.address()).isBetween(p.mappings().get(0).start(), p.mappings().get(0).limit());
            assertThat(l.mappingId()).isEqualTo(1);
            assertThat(l.lines()).isNotEmpty();
        }
        assertThat(p.comments()).singleElement().satisfies(c -> assertThat(p.string(c)).contains("cpu0.svdat"));
    }

    @Test
    void peakBytesAreTheLiveSetAtThePeakPerCallStack() throws IOException {
        Path trace = PeakScenario.write(dir.resolve("peak"));
        WireProfile p = WireProfile.parse(Exports.export(dir, "pprof", trace.toString()));
        long peakBytes = 0;
        long peakBlocks = 0;
        List<Long> perStack = new ArrayList<>();
        for (WireProfile.Sample s : p.samples()) {
            peakBytes += s.values().get(4);
            peakBlocks += s.values().get(5);
            if (s.values().get(4) > 0) {
                perStack.add(s.values().get(4));
            }
        }
        assertThat(peakBytes).isEqualTo(PeakScenario.PEAK_BYTES);
        assertThat(peakBlocks).isEqualTo(PeakScenario.PEAK_BLOCKS);
        assertThat(perStack).containsExactlyInAnyOrder(1_000L, 10_240L, 10_240L);
    }

    @Test
    void inlineFramesAreLinesOfOneLocationInnermostFirst() throws IOException {
        TinyTrace t = new TinyTrace().task(0x100, "main");
        t.w.heapAlloc(0, 512, 0x3FFB1000L, 48, new long[] {INLINED + 1, ROM}, 2, 4, 10);
        Path trace = t.write(dir.resolve("inline.svdat"));

        WireProfile p = WireProfile.parse(Exports.export(dir, "pprof", trace.toString(), "--elf", FIXTURE_ELF.toString()));
        List<Frame> expected = Symbolizer.open(FIXTURE_ELF, Demangler::demangle).lookupReturnAddress(INLINED + 1);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
        assertThat(expected.get(0).inlined()).isTrue();

        WireProfile.Sample leak = p.samples().stream().filter(s -> s.values().get(0) == 48).findFirst().orElseThrow();
        assertThat(leak.locationIds()).hasSize(2);
        WireProfile.Location inlined = p.location(leak.locationIds().get(0));
        assertThat(inlined.address()).isEqualTo(INLINED + 1);
        assertThat(inlined.mappingId()).isEqualTo(1);
        assertThat(inlined.lines()).extracting(l -> p.string(p.function(l.functionId()).name()) + ":" + l.line())
                .containsExactlyElementsOf(expected.stream().map(f -> f.function() + ":" + f.line()).toList());
        assertThat(inlined.lines()).extracting(l -> p.string(p.function(l.functionId()).filename()))
                .containsExactlyElementsOf(expected.stream().map(Frame::file).toList());
        WireProfile.Location rom = p.location(leak.locationIds().get(1));
        assertThat(rom.address()).isEqualTo(ROM);
        assertThat(rom.lines()).as("ROM is not in the ELF").isEmpty();
        assertThat(rom.mappingId()).isZero();
        assertThat(p.string(p.mappings().get(0).buildId())).isEqualTo("a5e9bd882e6f17ef25e5e45364e7d5c2c3eae98e");
    }

    @Test
    void withoutAnElfLocationsAreAddressesOnly() throws IOException {
        WireProfile p = WireProfile.parse(Exports.export(dir, "pprof", Exports.exampleInputs()));
        LeakReport report = Exports.analyze(null, Exports.exampleInputs());
        assertThat(p.mappings()).isEmpty();
        assertThat(p.functions()).isEmpty();
        assertThat(p.locations()).allSatisfy(l -> assertThat(l.lines()).isEmpty());
        int stack = report.groups().get(0).stack();
        WireProfile.Sample first = p.samples().get(0);
        assertThat(first.values().get(0)).isEqualTo(report.groups().get(0).bytes());
        List<Long> addresses = first.locationIds().stream().map(id -> p.location(id).address()).toList();
        List<Long> expected = new ArrayList<>();
        for (int k = 0; k < report.recording().stacks().depth(stack); k++) {
            expected.add(report.recording().stacks().frame(stack, k));
        }
        assertThat(addresses).as("leaf first").isEqualTo(expected);
    }

    @Test
    void withoutGoTheTestsFailNamingTheInstallScript() {
        Path nowhere = dir.resolve("no-go");
        assertThatThrownBy(() -> GoPprof.find(nowhere.toString()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("scripts/deps/golang.sh");
    }
}
