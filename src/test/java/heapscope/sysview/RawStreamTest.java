package heapscope.sysview;

import heapscope.Fixtures;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.LeakedBlock;
import heapscope.capture.CaptureSettings;
import heapscope.capture.Captures;
import heapscope.source.InputSpec;
import heapscope.trace.Alloc;
import heapscope.trace.Condition;
import heapscope.trace.Context;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Free;
import heapscope.trace.HeapEvent;
import heapscope.trace.Recording;
import heapscope.trace.Warning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw SystemView streams as UART and USB-Serial-JTAG carry them, made from the corpus recordings (Espressif's two-core
 * ESP32 heap log, the two-core ESP32-P4 connection example): read through the front door, from their sync or from
 * inside a packet, with bytes lost anywhere.
 */
class RawStreamTest {
    private static final Path[] HEAP_LOG = {Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"), Fixtures.corpus("esp-idf-sysview/heap_log1.svdat")};
    private static final Path[] CONNECTION = {Fixtures.example("connection/cpu0.svdat"), Fixtures.example("connection/cpu1.svdat")};

    @TempDir
    Path dir;

    private record Read(List<Event> events, Recording recording, LeakReport report) {
        List<HeapEvent> heap() {
            return events.stream().filter(e -> e instanceof HeapEvent).map(e -> (HeapEvent) e).toList();
        }
    }

    private Read read(byte[] bytes) throws IOException {
        return read(bytes, CaptureSettings.heap());
    }

    private Read read(byte[] bytes, CaptureSettings settings) throws IOException {
        Path file = Files.write(dir.resolve("uart.svdat"), bytes);
        try (EventReader r = Captures.open(List.of(file.toString()), settings)) {
            return drain(r);
        }
    }

    /** Every event of {@code r}, and the leak report of them. */
    private static Read drain(EventReader r) throws IOException {
        List<Event> events = new ArrayList<>();
        LeakAnalysis analysis = new LeakAnalysis(null);
        for (Event e = r.next(); e != null; e = r.next()) {
            events.add(e);
            analysis.accept(e);
        }
        return new Read(events, r.recording(), analysis.finish(r.recording()));
    }

    private static Set<String> leaks(LeakReport report) {
        Set<String> out = new TreeSet<>();
        for (LeakedBlock b : report.leaks()) {
            out.add(String.format("0x%08x %d", b.address(), b.size()));
        }
        return out;
    }

    @Test
    void aUartStreamOfBothCoresGivesTheLeaksOfTheOpenOcdFiles() throws IOException {
        for (Path[] recording : List.of(HEAP_LOG, CONNECTION)) {
            UartStreams.Stream uart = UartStreams.of(recording);
            Read raw = read(uart.bytes());
            LeakReport original = Decoded.leaks(recording);
            assertThat(raw.recording().format()).startsWith("SystemView raw stream");
            assertThat(leaks(raw.report())).isEqualTo(leaks(original));
            assertThat(raw.report().counts().heapEvents()).isEqualTo(original.counts().heapEvents());
            assertThat(raw.recording().complete()).as(raw.recording().conditions().toString()).isTrue();
            // the chip has two cores and the link says neither core nor (for heap events) task
            assertThat(raw.heap()).allSatisfy(h -> {
                assertThat(h.core()).isEqualTo(Event.UNKNOWN_CORE);
                assertThat(raw.recording().contexts().get(h.context()).kind()).isEqualTo(Context.Kind.UNKNOWN);
            });
            assertThat(raw.recording().cores()).isEqualTo(2);
            assertThat(raw.recording().warnings()).extracting(Warning::message)
                    .anySatisfy(m -> assertThat(m).contains("heap events taken at ids 512/513").contains("decodes as an allocation"));
        }
    }

    @Test
    void aStreamThatStartsInsideAPacketIsReadFromTheFirstProvenStart() throws IOException {
        UartStreams.Stream uart = UartStreams.of(HEAP_LOG);
        UartStreams.HeapPacket third = uart.heap().get(2);
        int from = third.start() - 3; // inside the packet before it
        Read raw = read(Arrays.copyOfRange(uart.bytes(), from, uart.bytes().length));
        List<HeapEvent> heap = raw.heap();
        assertThat(heap).hasSize(uart.heap().size() - 2);
        assertThat(heap.get(0).address()).isEqualTo(third.address());
        assertThat(raw.recording().warnings()).extracting(Warning::message).anySatisfy(m -> assertThat(m).contains("starts inside a packet"));
    }

    /**
     * The corpus streams cut at 1,000 random places in all (seeded): 100 rounds of 10 gaps of up to 300 bytes. Never a
     * crash or hang; every heap event whose packet lies outside the gaps is decoded, in order; the capture says it
     * lost data, which makes every leak uncertain (a block whose free fell in a gap is reported, but not as certain);
     * and every leak of the whole stream whose allocation came through is reported.
     */
    @Test
    void bytesLostAtAThousandPlacesLoseOnlyTheEventsInThem() throws IOException {
        List<UartStreams.Stream> streams = List.of(UartStreams.of(HEAP_LOG), UartStreams.of(CONNECTION));
        List<Set<String>> wholeLeaks = new ArrayList<>();
        List<Set<Long>> wholeLeakAddresses = new ArrayList<>();
        for (UartStreams.Stream s : streams) {
            LeakReport report = read(s.bytes()).report();
            wholeLeaks.add(leaks(report));
            wholeLeakAddresses.add(new HashSet<>(report.leaks().stream().map(LeakedBlock::address).toList()));
        }
        int falseLeakRounds = 0;
        List<Map<Long, UartStreams.HeapPacket>> lastAt = new ArrayList<>(); // the last heap event at each address
        for (UartStreams.Stream s : streams) {
            Map<Long, UartStreams.HeapPacket> last = new HashMap<>();
            s.heap().forEach(h -> last.put(h.address(), h));
            lastAt.add(last);
        }
        Random random = new Random(15);
        int places = 0;
        for (int round = 0; round < 100; round++) {
            int which = round % streams.size();
            UartStreams.Stream s = streams.get(which);
            int n = s.bytes().length;
            boolean[] cut = gaps(n, 10, 300, random);
            places += 10;
            Read raw = read(without(s.bytes(), cut));
            List<UartStreams.HeapPacket> intact = s.heap().stream().filter(h -> {
                for (int i = h.start(); i < h.end(); i++) {
                    if (cut[i]) {
                        return false;
                    }
                }
                return true;
            }).toList();
            List<HeapEvent> decoded = raw.heap();
            int j = 0;
            for (UartStreams.HeapPacket h : intact) {
                while (j < decoded.size() && !(decoded.get(j).address() == h.address() && (decoded.get(j) instanceof Alloc) == h.alloc())) {
                    j++;
                }
                assertThat(j).as("round %d: heap event at byte %d (0x%08x) not decoded", round, h.start(), h.address()).isLessThan(decoded.size());
                j++;
            }
            assertThat(raw.recording().complete()).isFalse();
            assertThat(raw.recording().conditions()).extracting(Condition::kind).contains(Condition.Kind.LOST_BYTES);
            // a leak of the whole stream whose allocation came through is reported; one the whole stream does not
            // have (its free was lost) is uncertain, as every leak of a capture that lost data is
            Set<String> found = leaks(raw.report());
            Set<Long> foundAddresses = new HashSet<>(raw.report().leaks().stream().map(LeakedBlock::address).toList());
            for (UartStreams.HeapPacket h : intact) {
                if (h.alloc() && wholeLeakAddresses.get(which).contains(h.address()) && lastAt.get(which).get(h.address()) == h) {
                    assertThat(foundAddresses).as("round %d", round).contains(h.address());
                }
            }
            if (!wholeLeaks.get(which).containsAll(found)) {
                falseLeakRounds++;
            }
        }
        assertThat(falseLeakRounds).isPositive(); // the test does lose frees
        assertThat(places).isEqualTo(1000);
    }

    /**
     * A link delivers the stream in pieces of any size at any time: read live, it is framed as its saved file is,
     * event for event and warning for warning, whether bytes were lost or not (a verdict on a packet start that the
     * bytes still to come could overturn waits for them, while they keep coming).
     */
    @Test
    void aStreamReadLiveInPiecesIsFramedAsItsSavedFileIs() throws IOException {
        List<UartStreams.Stream> streams = List.of(UartStreams.of(HEAP_LOG), UartStreams.of(CONNECTION));
        Random random = new Random(21);
        for (int round = 0; round < 60; round++) {
            byte[] whole = streams.get(round % 2).bytes();
            byte[] bytes = round < 2 ? whole : without(whole, gaps(whole.length, 5, 200, random));
            Read file = read(bytes);
            Path saved = dir.resolve("uart.svdat");
            CaptureSettings live = new CaptureSettings(false, false, List.of(), true);
            try (EventReader r = Captures.liveRawSystemView(InputSpec.parse(saved.toString()), live).open(new Pieces(bytes, random.nextLong()))) {
                Read read = drain(r);
                assertThat(read.events()).as("round %d", round).isEqualTo(file.events());
                assertThat(read.recording().warnings()).as("round %d", round).isEqualTo(file.recording().warnings());
                assertThat(leaks(read.report())).isEqualTo(leaks(file.report()));
            }
        }
    }

    /**
     * A device that falls silent after its last event, the link still open: its last packets are decoded anyway, a
     * moment later (the framing's wait for bytes that do not come is bounded), not when the link closes.
     */
    @Test
    void theLastEventsBeforeTheLinkFallsSilentAreDecodedWhileItIsOpen() throws Exception {
        byte[] bytes = UartStreams.of(CONNECTION).bytes();
        int expected = read(bytes).heap().size();
        CountDownLatch closed = new CountDownLatch(1);
        InputStream silent = new Link() {
            private int at;

            @Override
            public int read(byte[] to, int off, int len) {
                if (at == bytes.length) {
                    try {
                        closed.await(); // silent until closed
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return -1;
                }
                int n = Math.min(len, Math.min(bytes.length - at, 64));
                System.arraycopy(bytes, at, to, off, n);
                at += n;
                return n;
            }

            @Override
            public int available() {
                return Math.min(bytes.length - at, 64);
            }
        };
        Path saved = Files.write(dir.resolve("silent.svdat"), bytes);
        AtomicInteger heap = new AtomicInteger();
        Thread decoder = new Thread(() -> {
            try (EventReader r = Captures.liveRawSystemView(InputSpec.parse(saved.toString()), new CaptureSettings(false, false, List.of(), true))
                    .open(silent)) {
                for (Event e = r.next(); e != null; e = r.next()) {
                    heap.addAndGet(e instanceof HeapEvent ? 1 : 0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        decoder.setDaemon(true);
        decoder.start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (heap.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(heap.get()).as("heap events decoded while the link is open and silent").isEqualTo(expected);
        } finally {
            closed.countDown();
        }
        decoder.join(10_000);
        assertThat(decoder.isAlive()).isFalse();
    }

    /**
     * A link's bytes as a live read gets them: pieces of 1 to 16 or to 300 bytes, each all that is waiting when it
     * comes; the next arrives once a reader has found the link silent (asked what is waiting and got nothing). The
     * link closes with its last piece: its end is waiting then.
     */
    private static final class Pieces extends Link {
        private final byte[] bytes;
        private final Random random;
        private int at;
        private int pieceEnd;
        private boolean silent;

        Pieces(byte[] bytes, long seed) {
            this.bytes = bytes;
            this.random = new Random(seed);
        }

        @Override
        public int read(byte[] to, int off, int len) {
            if (at == bytes.length) {
                return -1;
            }
            if (at == pieceEnd) {
                next();
            }
            int n = Math.min(len, pieceEnd - at);
            System.arraycopy(bytes, at, to, off, n);
            at += n;
            return n;
        }

        @Override
        public int available() {
            if (at == bytes.length) {
                return 1; // the end, which a read returns at once
            }
            if (at == pieceEnd && silent) {
                next();
            } else if (at == pieceEnd) {
                silent = true;
            }
            return pieceEnd - at;
        }

        private void next() {
            pieceEnd = Math.min(bytes.length, at + 1 + random.nextInt(random.nextBoolean() ? 16 : 300));
            silent = false;
        }
    }

    /** A link's bytes, read as the decoder reads them: in runs ({@code read(byte[], int, int)}), one byte by the same way. */
    private abstract static class Link extends InputStream {
        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public abstract int read(byte[] to, int off, int len);
    }

    /** COUNT gaps of 1 to MAX_LENGTH bytes at random places of a stream of N bytes: the bytes to drop. */
    private static boolean[] gaps(int n, int count, int maxLength, Random random) {
        TreeSet<Integer> starts = new TreeSet<>();
        while (starts.size() < count) {
            starts.add(1 + random.nextInt(n - 1));
        }
        boolean[] cut = new boolean[n];
        for (int start : starts) {
            Arrays.fill(cut, start, Math.min(n, start + 1 + random.nextInt(maxLength)), true);
        }
        return cut;
    }

    private static byte[] without(byte[] bytes, boolean[] cut) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            if (!cut[i]) {
                kept.write(bytes[i]);
            }
        }
        return kept.toByteArray();
    }

    @Test
    void heapEventsLongerThanTheUartMessageAreDroppedAndTheOptionToChangeIsNamed() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SvWriter w = SvWriter.raw(out, 0, SvWriter.UART_MESSAGE_SIZE);
        preamble(w, "esp32");
        long[] deep = new long[25];
        Arrays.fill(deep, 0x400D1234L);
        long[] shallow = {0x400D1234L, 0x400D5678L};
        for (int i = 0; i < 6; i++) {
            // 25 slots: about 140 bytes, over the 128 the link sends
            w.heapAlloc(0, 512, 0x3FFB0000L + 64L * i, 32, i % 2 == 0 ? deep : shallow, i % 2 == 0 ? 25 : 2, 25, 100);
        }
        w.traceStop(0, 10);
        Read raw = read(out.toByteArray());
        // with 25 slots a full stack is about 140 bytes, over the 128 the link sends; zero slots take one byte each
        assertThat(raw.heap()).hasSize(3);
        assertThat(raw.recording().conditions()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo(Condition.Kind.DROPPED_EVENTS);
            assertThat(c.action()).contains("CONFIG_APPTRACE_UART_TX_MSG_SIZE").contains("CONFIG_HEAP_TRACING_STACK_DEPTH");
        });
        assertThat(raw.report().diagnostics().droppedEvents()).isEqualTo(3);
    }

    @Test
    void withFunctionTracingFirstTheHeapEventsAre514AndTheOptionOverrides() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SvWriter w = SvWriter.raw(out, 0, 1024);
        preamble(w, "esp32");
        long[] callers = {0x400D1234L, 0x400D5678L};
        for (int i = 0; i < 4; i++) {
            functionTrace(w, 512, 0x400D2000L, 0x400D3000L); // function_enter func, call_site
            w.heapAlloc(0, 514, 0x3FFB0000L + 64L * i, 24, callers, 2, 4, 100);
            functionTrace(w, 513, 0x400D2000L, 0x400D3000L);
        }
        w.heapFree(0, 514, 0x3FFB0000L, callers, 2, 4, 100);
        Read raw = read(out.toByteArray());
        assertThat(raw.heap()).hasSize(5);
        assertThat(raw.report().leaks()).hasSize(3);
        assertThat(raw.recording().warnings()).extracting(Warning::message)
                .anySatisfy(m -> assertThat(m).contains("ids 514/515").contains("CONFIG_ESP_TRACE_FUNCTION_TRACE"));
        Read forced = read(out.toByteArray(), CaptureSettings.heap().withHeapEvents(512));
        assertThat(forced.report().leaks()).isEmpty(); // 512/513 are the function trace's: nothing is allocated there
    }

    @Test
    void onAOneCoreChipTheTaskAndCoreAreCertain() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SvWriter w = SvWriter.raw(out, 0, 1024);
        preamble(w, "esp32c3");
        w.taskInfo(0, 0x1000, 5, "main", 10);
        w.taskStartExec(0, 0x1000, 10);
        w.heapAlloc(0, 512, 0x3FC90000L, 24, new long[] {0x42001234L}, 1, 2, 100);
        Read raw = read(out.toByteArray());
        assertThat(raw.heap()).singleElement().satisfies(h -> {
            assertThat(h.core()).isZero();
            assertThat(raw.recording().contexts().get(h.context()).name()).isEqualTo("main");
        });
        assertThat(raw.recording().conditions()).isEmpty();
    }

    private static void preamble(SvWriter w, String chip) throws IOException {
        w.start();
        w.traceStart(0, 0);
        w.init(0, 1_000_000, 160_000_000, 0x3F400000L, 0, 10);
        w.sysdesc(0, "N=FreeRTOS Application,D=" + chip + ",C=core0,O=FreeRTOS", 10);
        w.moduleDesc(0, 0, 512, SvWriter.HEAP_MODULE, 10); // dropped by the link
    }

    private static void functionTrace(SvWriter w, int id, long func, long callSite) throws IOException {
        byte[] body = new byte[10];
        int n = SvWriter.varint(body, func);
        byte[] rest = new byte[5];
        int m = SvWriter.varint(rest, callSite);
        System.arraycopy(rest, 0, body, n, m);
        w.packet(id, 0, body, 0, n + m, 50);
    }

    @Test
    void everyHeapEventIdIsOneTheWholeStreamAgreesOn() throws IOException {
        Set<Integer> ids = new HashSet<>();
        UartStreams.Stream uart = UartStreams.of(CONNECTION);
        for (UartStreams.HeapPacket h : uart.heap()) {
            ids.add(h.alloc() ? 512 : 513);
        }
        assertThat(ids).containsExactlyInAnyOrder(512, 513);
        assertThat(read(uart.bytes()).heap()).hasSize(uart.heap().size());
        assertThat(read(uart.bytes()).heap().stream().filter(h -> h instanceof Free).count())
                .isEqualTo(uart.heap().stream().filter(h -> !h.alloc()).count());
    }

    @Test
    void randomBytesReadAsARawStreamEndWithoutAnException() throws IOException {
        Random random = new Random(3);
        for (int round = 0; round < 300; round++) {
            byte[] junk = new byte[random.nextInt(8192)];
            random.nextBytes(junk);
            Path file = Files.write(dir.resolve("junk.svdat"), junk);
            try (EventReader r = new SvDecoder(true).openRaw(List.of(new InputSpec.FileInput(file)), Arrays.asList((InputStream) null),
                    new Recording())) {
                long n = 0;
                while (r.next() != null) {
                    n++;
                }
                assertThat(n).isLessThanOrEqualTo(junk.length);
            }
        }
    }
}
