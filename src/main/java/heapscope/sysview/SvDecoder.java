package heapscope.sysview;

import heapscope.chip.Chip;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.source.SpillFile;
import heapscope.trace.Condition;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;
import heapscope.trace.Warning;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Opens SystemView traces in every layout ESP-IDF and OpenOCD produce and merges their streams by time:
 * one file per core (the n-th input is core n), a single file with the {@code ESP_Extension} core bit, and
 * SEGGER's V3.60 multi-core container ({@code ; Offset CoreN}).
 */
public final class SvDecoder {
    private static final int BUFFER = 256 * 1024;

    private final boolean systemEvents;
    private final int heapEvents;
    /** A live session's raw stream: decoded as its bytes come, not a window at a time (see {@link #live}). */
    private final boolean live;

    /** @param systemEvents also emit context switches, interrupts and other non-heap packets as events */
    public SvDecoder(boolean systemEvents) {
        this(systemEvents, -1);
    }

    /**
     * @param heapEvents id of the heap module's allocation event (the free is the next) whatever the trace says, or
     *                   -1 to take it from the module description, or infer it where there is none
     */
    public SvDecoder(boolean systemEvents, int heapEvents) {
        this(systemEvents, heapEvents, false);
    }

    private SvDecoder(boolean systemEvents, int heapEvents, boolean live) {
        if (heapEvents >= 0 && (heapEvents < SvIds.FIRST_MODULE_EVENT || heapEvents >= SvIds.MODULE_EVENT_LIMIT - 1)) {
            throw new InputException("--heap-events: " + heapEvents + " is not a module event id (" + SvIds.FIRST_MODULE_EVENT + " to "
                    + (SvIds.MODULE_EVENT_LIMIT - 2) + "; ESP-IDF's heap module is at " + SvIds.HEAP_EVENTS + ", or "
                    + SvIds.HEAP_EVENTS_AFTER_FUNCTION_TRACE + " with function tracing)");
        }
        this.systemEvents = systemEvents;
        this.heapEvents = heapEvents;
        this.live = live;
    }

    /**
     * The same decoder for a live session (capture, monitor): a raw stream's window ends where the source has nothing
     * more waiting, so events come as their bytes arrive; a file is read a whole window at a time. Where a raw
     * stream's framing could judge a packet start otherwise with the bytes still to come, the live window waits for
     * them while the link keeps delivering, so a capture decodes as its saved file does.
     */
    public SvDecoder live(boolean on) {
        return new SvDecoder(systemEvents, heapEvents, on);
    }

    /**
     * Opens a raw stream as UART and USB-Serial-JTAG carry it (no OpenOCD header; it may start inside a packet and
     * lose bytes anywhere). Several inputs are read as one headerless stream per core, as {@link #open} does.
     */
    public EventReader openRaw(List<InputSpec> inputs, List<InputStream> streams, Recording rec) throws IOException {
        if (inputs.size() != 1) {
            return open(inputs, streams, rec);
        }
        InputSpec input = inputs.get(0);
        InputStream in = buffered(opened(input, streams.get(0)));
        rec.addSource(input.name());
        return new Merger(rec, List.of(rawStream(in, input, 0, rec)), List.of(in), true);
    }

    /** A raw UART or USB-Serial-JTAG stream from byte START of IN on (after heapscope capture's header, or from 0). */
    private SvStream rawStream(InputStream in, InputSpec input, int start, Recording rec) throws IOException {
        rec.setFormat("SystemView raw stream (UART or USB-Serial-JTAG): one CPU's scheduler events, every CPU's heap events");
        ByteInput window = new ByteInput(in, start, Long.MAX_VALUE, window(input, start));
        return new SvStream(live ? window.live() : window, rec, input.name(), 0, false,
                systemEvents, true, heapEvents);
    }

    /** Opens the inputs as one recording; throws {@link InputException} when they are not SystemView traces. */
    public EventReader open(List<InputSpec> inputs) throws IOException {
        return open(inputs, Collections.nCopies(inputs.size(), null));
    }

    /**
     * Same, for inputs some of which are already open ({@code streams.get(i)} non-null, at the first byte): a
     * stream or socket that was read to tell its format cannot be opened a second time.
     */
    public EventReader open(List<InputSpec> inputs, List<InputStream> streams) throws IOException {
        return open(inputs, streams, new Recording());
    }

    /** Same, into a recording the caller made. */
    public EventReader open(List<InputSpec> inputs, List<InputStream> streams, Recording rec) throws IOException {
        if (inputs.isEmpty()) {
            throw new InputException("no input given");
        }
        if (inputs.size() > SvStream.MAX_CORES) {
            throw new InputException(inputs.get(SvStream.MAX_CORES).name() + ": " + inputs.size() + " trace files given, but"
                    + " OpenOCD writes one file per core and ESP32 chips trace at most " + SvStream.MAX_CORES + " cores");
        }
        List<SvStream> decoders = new ArrayList<>();
        List<Closeable> closers = new ArrayList<>();
        try {
            if (inputs.size() == 1) {
                openSingle(inputs.get(0), opened(inputs.get(0), streams.get(0)), rec, decoders, closers);
            } else {
                for (int core = 0; core < inputs.size(); core++) {
                    InputSpec input = inputs.get(core);
                    InputStream in = buffered(opened(input, streams.get(core)));
                    closers.add(in);
                    SvHeader header = SvHeader.read(in, input.name());
                    if (header.espExtension() || !header.coreOffsets().isEmpty()) {
                        throw new InputException(input.name() + ": holds several cores itself; give it as the only input");
                    }
                    rec.addSource(input.name());
                    addStream(new ByteInput(in, header.length(), Long.MAX_VALUE, window(input, header.length())), rec, input.name(), core, false, header, decoders);
                }
                rec.setFormat("SystemView, one file per core");
                rec.setCores(inputs.size());
            }
        } catch (IOException | RuntimeException e) {
            closeAll(closers);
            throw e;
        }
        // heapscope capture's file holds a raw stream: one CPU's scheduler events, heap events with no core
        return new Merger(rec, decoders, closers, decoders.size() == 1 && decoders.get(0).raw());
    }

    /** Where a raw stream's first packet start must be proven, at most: past any packet the device sends. */
    private static final int MAX_FIRST_PACKET = 1024;

    /**
     * Whether {@code head}, the first bytes of an input, is a raw SystemView stream: the sync (zeros, then
     * TRACE_START), or, for a stream that starts inside a packet, a chain of plausible packets near its start. Text
     * is not: a serial log's printable bytes can pass for a few packets.
     */
    public static boolean provesRawStream(byte[] head) {
        int zeros = 0;
        while (zeros < head.length && head[zeros] == 0) {
            zeros++;
        }
        if (zeros == head.length) {
            return true; // nothing but (the start of) the sync
        }
        if (zeros >= SvStream.SYNC_LEN && head[zeros] == SvIds.TRACE_START) {
            return true;
        }
        int printable = 0;
        for (byte x : head) {
            if (x >= 0x20 && x < 0x7F || x == '\n' || x == '\r' || x == '\t' || x == 0x1B) {
                printable++;
            }
        }
        if (printable >= head.length * 9 / 10) {
            return false;
        }
        int q = new RawFraming().resync(head, 0, Math.min(head.length, MAX_FIRST_PACKET + RawFraming.PROOF * 256), true);
        return q >= 0 && q < MAX_FIRST_PACKET;
    }

    private static InputStream opened(InputSpec input, InputStream stream) throws IOException {
        return stream != null ? stream : input.open();
    }

    private void openSingle(InputSpec input, InputStream raw, Recording rec, List<SvStream> streams, List<Closeable> closers)
            throws IOException {
        InputStream in = buffered(raw);
        closers.add(in);
        SvHeader header = SvHeader.read(in, input.name());
        rec.addSource(input.name());
        List<Long> offsets = header.coreOffsets();
        if (header.rawLink() && !header.truncated()) { // heapscope capture's file: the raw stream as it came
            streams.add(rawStream(in, input, header.length(), rec));
            return;
        }
        if (offsets.isEmpty()) {
            boolean esp = header.espExtension();
            rec.setFormat(esp ? "SystemView, single file, ESP_Extension multi-core" : "SystemView, single stream");
            rec.setCores(esp ? 2 : 1);
            addStream(new ByteInput(in, header.length(), Long.MAX_VALUE, window(input, header.length())), rec, input.name(), 0, esp, header, streams);
            return;
        }
        rec.setFormat("SystemView V3.60 multi-core container");
        rec.setCores(offsets.size());
        Path file = input.file().orElse(null);
        SpillFile spill = null;
        if (file == null) {
            // Streams of later cores follow the whole first one: spill to disk instead of holding it in memory.
            in.reset();
            spill = SpillFile.copy(in);
            closers.add(spill);
        }
        long size = spill != null ? spill.size() : Files.size(file);
        for (int core = 0; core < offsets.size(); core++) {
            long start = header.length() + offsets.get(core);
            long stop = core + 1 < offsets.size() ? header.length() + offsets.get(core + 1) : Long.MAX_VALUE;
            if (start > size || stop < start) {
                rec.warn(new Warning(input.name(), Warning.Unit.BYTE, Math.min(start, size),
                        "core " + core + " stream starts beyond the data; core not decoded"));
                continue;
            }
            InputStream section = spill != null ? spill.from(start) : Files.newInputStream(file);
            closers.add(section);
            if (spill == null) {
                section.skipNBytes(start);
            }
            addStream(new ByteInput(section, start, stop - start, (int) Math.min(BUFFER, Math.min(stop, size) - start + 16)),
                    rec, input.name(), core, false, header, streams);
        }
    }

    private void addStream(ByteInput in, Recording rec, String name, int core, boolean esp, SvHeader header, List<SvStream> streams)
            throws IOException {
        if (header.truncated()) {
            rec.warn(new Warning(name, Warning.Unit.BYTE, header.length(),
                    "data ends inside the SystemView header"));
            return;
        }
        SvStream stream = new SvStream(in, rec, name, core, esp, systemEvents, false, heapEvents);
        if (!header.equals(SvHeader.NONE) || looksLikeSync(in)) {
            if (stream.readSync()) {
                streams.add(stream);
            }
            return;
        }
        throw new InputException(name + ": not a SystemView trace (no header and no sync bytes at byte 0)");
    }

    /**
     * Window size: the whole stream when it is a file smaller than the default window (a packet can then never be
     * longer than what remains), else the default, which holds the longest possible packet.
     */
    private static int window(InputSpec input, long start) throws IOException {
        Path file = input.file().orElse(null);
        return file == null ? BUFFER : (int) Math.min(BUFFER, Math.max(0, Files.size(file) - start) + 16);
    }

    private static boolean looksLikeSync(ByteInput in) throws IOException {
        int n = in.ensure(SvStream.SYNC_LEN);
        for (int i = 0; i < n; i++) {
            if (in.buf[in.pos + i] != 0) {
                return false;
            }
        }
        return n > 0;
    }

    private static InputStream buffered(InputStream in) {
        return new BufferedInputStream(in, 64 * 1024);
    }

    private static void closeAll(List<Closeable> closers) {
        for (Closeable c : closers) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing after a failure: the first error is the one to report
            }
        }
    }

    /**
     * The chip the trace names has more cores than streams were given: the missing core's allocations and frees are
     * unseen, so the leak figures are wrong both ways. Checked at the end, when the trace has named its chip.
     */
    private static void missingCores(Recording rec) {
        Chip chip = Chip.parse(rec.chip()).orElse(null);
        if (chip == null || chip.cores() <= rec.tracedCores()) {
            return;
        }
        rec.setTargetCores(chip.cores());
        List<String> missing = new ArrayList<>();
        for (int core = rec.tracedCores(); core < chip.cores(); core++) {
            missing.add(Integer.toString(core));
        }
        String cores = (missing.size() == 1 ? "core " : "cores ") + String.join(", ", missing);
        String given = rec.tracedCores() == 1 ? "1 stream was given" : rec.tracedCores() + " streams were given";
        String sources = String.join(", ", rec.sources());
        rec.note(new Condition(Condition.Kind.MISSING_CORE, sources, sources + ": " + cores
                + (missing.size() == 1 ? "'s stream is" : "' streams are") + " missing (the " + chip.idfName() + " has "
                + chip.cores() + " cores, " + given + "): frees on " + cores + " are unseen, so leaks are over-counted,"
                + " and the leaks of " + cores + " are missing",
                "Give every core's trace file, in core order (cpu0.svdat cpu1.svdat). If the firmware runs on one core"
                        + " (CONFIG_FREERTOS_UNICORE), nothing is missing."));
    }

    /** Merges the streams by time; ties go to the lower core, as ESP-IDF's stable sort does. */
    private static final class Merger implements EventReader {
        private final Recording rec;
        private final SvStream[] streams;
        private final Event[] heads;
        private final List<Closeable> closers;
        private final boolean raw;
        private boolean ended;

        /** @param raw one raw stream, which holds the heap events of every core of its chip */
        Merger(Recording rec, List<SvStream> streams, List<? extends Closeable> closers, boolean raw) {
            this.raw = raw;
            this.rec = rec;
            this.streams = streams.toArray(new SvStream[0]);
            this.heads = new Event[this.streams.length];
            this.closers = List.copyOf(closers);
        }

        @Override
        public Event next() throws IOException {
            Event e = merged();
            if (e == null && !ended) {
                ended = true;
                if (!raw) {
                    missingCores(rec);
                } else {
                    Chip.parse(rec.chip()).ifPresent(chip -> rec.setCores(chip.cores()));
                }
            }
            return e;
        }

        private Event merged() throws IOException {
            if (streams.length == 1) {
                return streams[0].next();
            }
            int best = -1;
            for (int i = 0; i < streams.length; i++) {
                if (heads[i] == null && streams[i] != null) {
                    heads[i] = streams[i].next();
                    if (heads[i] == null) {
                        streams[i] = null;
                    }
                }
                if (heads[i] != null && (best < 0 || heads[i].timeNs() < heads[best].timeNs())) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            Event e = heads[best];
            heads[best] = null;
            return e;
        }

        @Override
        public Recording recording() {
            return rec;
        }

        @Override
        public void close() {
            closeAll(closers);
        }
    }
}
