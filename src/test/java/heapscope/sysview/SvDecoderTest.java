package heapscope.sysview;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.chip.Region;
import heapscope.source.InputSpec;
import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Free;
import heapscope.trace.LogMessage;
import heapscope.trace.Overflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoder behaviour on small traces written with {@link SvWriter}, each built for one rule of the format. */
class SvDecoderTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final SvWriter w = new SvWriter(bytes, false);
    private static final long[] CALLERS = {0x40081EFFL, 0x400D1234L};

    private void preamble(String heapModule) throws IOException {
        w.start();
        w.traceStart(0, 999);
        w.init(0, 1_000_000, 160_000_000, 0x3F400000L, 0, 5);
        w.sysdesc(0, "N=FreeRTOS Application,D=esp32s3,C=xtensa,O=FreeRTOS", 1);
        if (heapModule != null) {
            w.moduleDesc(0, 0, 512, heapModule, 1);
        }
        w.taskInfo(0, 0x100, 5, "worker", 1);
    }

    private Path file() throws IOException {
        return Files.write(dir.resolve("t" + System.nanoTime() + ".svdat"), bytes.toByteArray());
    }

    private static List<Event> events(Path file, List<String> warnings) throws IOException {
        try (EventReader r = new SvDecoder(false).open(List.of(new InputSpec.FileInput(file)))) {
            List<Event> out = new ArrayList<>();
            for (Event e = r.next(); e != null; e = r.next()) {
                out.add(e);
            }
            r.recording().warnings().forEach(x -> warnings.add(x.format()));
            return out;
        }
    }

    @Test
    void acceptsTheHeapModuleDescriptionOfOldAndNewEspIdf() throws IOException {
        for (String desc : List.of("ESP32 SystemView Heap Tracing Module", "M=ESP32 SystemView Heap Tracing Module")) {
            bytes.reset();
            preamble(desc);
            w.heapAlloc(0, 512, 0x3FC90000L, 16, CALLERS, 2, 4, 10);
            List<String> warnings = new ArrayList<>();
            assertThat(events(file(), warnings)).singleElement().isInstanceOf(Alloc.class);
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void heapModuleAtAnotherOffsetIsFollowed() throws IOException {
        preamble(null);
        w.moduleDesc(0, 0, 512, "M=ESP_FunctionTrace, 0 function_enter func=%p call_site=%p", 1);
        w.moduleDesc(0, 1, 514, SvWriter.HEAP_MODULE, 1);
        w.packet(512, 0, new byte[] {1, 2}, 0, 2, 3); // a function-trace event: skipped by its length
        w.heapAlloc(0, 514, 0x3FC90000L, 16, CALLERS, 2, 4, 10);
        w.heapFree(0, 514, 0x3FC90000L, CALLERS, 2, 4, 10);
        List<Event> events = events(file(), new ArrayList<>());
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(Alloc.class);
        assertThat(events.get(1)).isInstanceOf(Free.class);
    }

    @Test
    void missingModuleDescriptionFallsBackTo512WithAWarning() throws IOException {
        preamble(null);
        w.heapAlloc(0, 512, 0x3FC90000L, 16, CALLERS, 2, 4, 10);
        List<String> warnings = new ArrayList<>();
        assertThat(events(file(), warnings)).singleElement().isInstanceOf(Alloc.class);
        assertThat(warnings).singleElement().asString().contains("heap module description missing");
    }

    @Test
    void heapEventsBeforeTheFirstContextSwitchAreKept() throws IOException {
        preamble(SvWriter.HEAP_MODULE);
        w.heapAlloc(0, 512, 0x3FC90000L, 16, CALLERS, 2, 4, 10); // ESP-IDF's script drops this one
        w.taskStartExec(0, 0x100, 10);
        w.heapAlloc(0, 512, 0x3FC90020L, 16, CALLERS, 2, 4, 10);
        try (EventReader r = new SvDecoder(false).open(List.of(new InputSpec.FileInput(file())))) {
            LeakReport report = LeakAnalysis.run(r, null);
            assertThat(report.leakedBlocks()).isEqualTo(2);
            assertThat(r.recording().contexts().get(report.leaks().get(0).context())).isEqualTo(Context.UNKNOWN);
            assertThat(r.recording().contexts().get(report.leaks().get(1).context()).name()).isEqualTo("worker");
            assertThat(report.leaks().get(1).region()).isEqualTo(Region.DRAM); // esp32s3 from SYSDESC
        }
    }

    @Test
    void failedAllocationsAndNullFreesAreKeptAsSuch() throws IOException {
        preamble(SvWriter.HEAP_MODULE);
        w.taskStartExec(0, 0x100, 10);
        w.heapAlloc(0, 512, 0, 100_000, CALLERS, 2, 4, 10);
        w.heapAlloc(0, 512, 0, 100_000, CALLERS, 2, 4, 10); // a second address-0 alloc is no duplicate
        w.heapFree(0, 512, 0, CALLERS, 2, 4, 10);
        List<Event> events = events(file(), new ArrayList<>());
        assertThat(events).hasSize(3);
        assertThat(((Alloc) events.get(0)).failed()).isTrue();
        assertThat(((Free) events.get(2)).ofNull()).isTrue();
        try (EventReader r = new SvDecoder(false).open(List.of(new InputSpec.FileInput(file())))) {
            LeakReport report = LeakAnalysis.run(r, null);
            assertThat(report.leakedBlocks()).isZero();
            assertThat(report.diagnostics().failedAllocs()).isEqualTo(2);
            assertThat(report.diagnostics().duplicateAllocs()).isZero();
            assertThat(report.diagnostics().nullFrees()).isEqualTo(1);
        }
    }

    @Test
    void timestampsFollowTheInitFrequencyAndIgnoreTraceStartsDelta() throws IOException {
        preamble(SvWriter.HEAP_MODULE); // 1 MHz timer: one tick = 1000 ns; deltas 5+1+1+1 before this point
        w.heapAlloc(0, 512, 0x3FC90000L, 16, CALLERS, 2, 4, 0xFFFFFFFFL); // largest 32-bit delta
        List<Event> events = events(file(), new ArrayList<>());
        assertThat(events.get(0).timeNs()).isEqualTo((8 + 0xFFFFFFFFL) * 1000);
    }

    @Test
    void overflowIsAnEventAndAWarning() throws IOException {
        preamble(SvWriter.HEAP_MODULE);
        w.overflow(0, 37, 10);
        List<String> warnings = new ArrayList<>();
        List<Event> events = events(file(), warnings);
        assertThat(events).singleElement().isEqualTo(new Overflow((8 + 10) * 1000, 0, 37));
        assertThat(warnings).singleElement().asString().contains("dropped 37 events");
    }

    @Test
    void longStringsUseTheBigEndianLengthAndInterruptsGetTheirNames() throws IOException {
        preamble(SvWriter.HEAP_MODULE);
        w.sysdesc(0, "I#5=SysTick", 1);
        String longLine = "I (1) app: " + "x".repeat(300) + "\n";
        w.taskStartExec(0, 0x100, 1);
        w.isrEnter(0, 5, 1);
        w.print(0, longLine, 1);
        w.heapAlloc(0, 512, 0x3FC90000L, 16, CALLERS, 2, 4, 1);
        w.isrExit(0, 1);
        w.isrEnter(0, 77, 1); // never described
        w.heapAlloc(0, 512, 0x3FC90040L, 16, CALLERS, 2, 4, 1);
        try (EventReader r = new SvDecoder(false).open(List.of(new InputSpec.FileInput(file())))) {
            List<Event> events = new ArrayList<>();
            for (Event e = r.next(); e != null; e = r.next()) {
                events.add(e);
            }
            assertThat(((LogMessage) events.get(0)).text()).isEqualTo(longLine);
            Context first = r.recording().contexts().get(((Alloc) events.get(1)).context());
            assertThat(first).isEqualTo(new Context(Context.Kind.ISR, "SysTick"));
            assertThat(r.recording().contexts().get(((Alloc) events.get(2)).context()).name()).isEqualTo("IRQ77");
            assertThat(r.recording().warnings()).isEmpty();
        }
    }

    @Test
    void dataSampleCannotBeFramedSoTheStreamStopsThere() throws IOException {
        preamble(SvWriter.HEAP_MODULE);
        w.heapAlloc(0, 512, 0x3FC90000L, 16, CALLERS, 2, 4, 1);
        int at = bytes.size();
        bytes.write(23);
        bytes.write(new byte[] {1, 2, 3});
        List<String> warnings = new ArrayList<>();
        assertThat(events(file(), warnings)).hasSize(1);
        assertThat(warnings).singleElement().asString().contains("byte " + at + ": DATA_SAMPLE");
    }

    @Test
    void unusedCallerSlotsAndFramesAfterTheFirstZeroAreDropped() throws IOException {
        preamble(SvWriter.HEAP_MODULE);
        w.heapAlloc(0, 512, 0x3FC90000L, 16, new long[] {0x40081EFFL, 0, 0x400D0001L}, 3, 10, 1);
        try (EventReader r = new SvDecoder(false).open(List.of(new InputSpec.FileInput(file())))) {
            Alloc a = (Alloc) r.next();
            assertThat(r.recording().stacks().frames(a.stack())).containsExactly(0x40081EFFL);
        }
    }
}
