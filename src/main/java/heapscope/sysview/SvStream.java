package heapscope.sysview;

import heapscope.chip.Chip;
import heapscope.trace.Alloc;
import heapscope.trace.Condition;
import heapscope.trace.Context;
import heapscope.trace.Event;
import heapscope.trace.Free;
import heapscope.trace.LogMessage;
import heapscope.trace.Overflow;
import heapscope.trace.Recording;
import heapscope.trace.SystemEvent;
import heapscope.trace.Warning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decodes one SystemView byte stream (one core's file, one section of a multi-core container, or an
 * ESP_Extension stream carrying both cores) into model events, in stream order.
 *
 * <p>Follows SEGGER's packet grammar ({@code id [plen] payload delta}): timestamps accumulate the per-packet
 * deltas in ticks of the INIT event's frequency; execution context follows ESP-IDF's rules (a context stack per
 * core driven by ISR and task events). Damage (a packet that cannot be parsed, or data ending inside a packet)
 * ends the stream with a warning naming the byte offset; everything before it is kept.
 *
 * <p>A raw stream (UART or USB-Serial-JTAG, no OpenOCD in between) differs: it may start and go on in the middle of
 * a packet, so each packet's start is proven first ({@link RawFraming}) and after lost bytes decoding resumes at the
 * next proven start; its scheduler events come from one CPU while its heap events come from both with no core
 * marker, so on a two-core chip heap events have no core and no task; and no module description reaches the host,
 * so the heap events' ids are inferred from their payloads unless given.
 */
final class SvStream {
    static final int SYNC_LEN = 10;
    /** Longest possible packet: 2-byte id, a 65535-byte string with its 3-byte length, a few varints. */
    private static final int MAX_PACKET = 65535 + 64;
    private static final int MAX_CALLERS = 64;
    private static final int MAX_CONTEXT_DEPTH = 32;
    /** SYSDESC's {@code ELF_SHA256=}: a prefix of the ELF's SHA-256 in hex (CONFIG_APP_RETRIEVE_LEN_ELF_SHA characters). */
    private static final Pattern ELF_DIGEST = Pattern.compile("[0-9a-fA-F]{4,64}");
    private static final long DEFAULT_TIMER_HZ = 40_000_000L;
    /**
     * Live: how long a framing verdict waits for the bytes it depends on. A link that delivers continuously (a device
     * that pauses for less than this) is framed as its saved file; one that falls silent has its last packets decoded
     * this late at most, twice (the second verdict proves the rest).
     */
    private static final long VERDICT_WAIT_MS = 250;
    /** Bytes kept at the end of a window searched in vain for a packet start: a proving chain may begin there. */
    private static final int RESYNC_KEEP = 4096;
    /** Losses said one by one; the condition counts them all. */
    private static final int MAX_GAP_WARNINGS = 100;

    private final ByteInput in;
    private final Recording rec;
    private final String source;
    private final boolean espExtension;
    private final int streamCore;
    private final boolean systemEvents;
    private final boolean raw;
    private final RawFraming framing = new RawFraming();
    /** --heap-events: the alloc event's id the user gave, -1 to take the module description's or infer it. */
    private final int givenHeapOffset;
    /** The chip the stream names (SYSDESC), null until then. */
    private Chip chip;

    // raw streams: where packets are proven to start, and what was lost
    private long trustedTo;
    private long jumpAt = -1;
    private boolean decodedAny;
    private long gaps;
    private long lostBytes;
    private long firstGapAt = -1;
    private long heapAtOffset;
    private long notHeapAtOffset;
    private int maxHeapPacket;

    private boolean done;
    private byte[] b;
    private int p;
    private int end;

    private long ticks;
    private long timerHz;
    private boolean traceStarted;
    private boolean warnedNoInit;
    private long ramBase;
    private int idShift;
    private int heapOffset = -1;
    private boolean heapOffsetGuessed;
    private long droppedTotal;
    private long overflows;
    private final long[] callers = new long[MAX_CALLERS];
    private final Map<Long, String> taskNames = new HashMap<>();
    private final Map<Long, String> irqNames = new HashMap<>();
    /** ESP32 chips have one or two cores that run the application (the P4's low-power core does not trace). */
    static final int MAX_CORES = 2;
    private final CoreContext[] cores;

    /** Per-core context stack: a task at the bottom, interrupt handlers above it. */
    private final class CoreContext {
        final int core;
        final long[] handles = new long[MAX_CONTEXT_DEPTH];
        final boolean[] irq = new boolean[MAX_CONTEXT_DEPTH];
        final int[] ids = new int[MAX_CONTEXT_DEPTH];
        int depth;
        boolean known; // a context event was seen, so an empty stack means idle
        final int idleId;

        CoreContext(int core) {
            this.core = core;
            this.idleId = rec.contexts().intern(Context.Kind.IDLE, "IDLE" + core);
        }

        int current() {
            return depth > 0 ? ids[depth - 1] : known ? idleId : 0;
        }

        void push(long handle, boolean isIrq, int id) {
            known = true;
            if (depth == MAX_CONTEXT_DEPTH) { // unbalanced ISR events: keep the newest
                System.arraycopy(handles, 1, handles, 0, depth - 1);
                System.arraycopy(irq, 1, irq, 0, depth - 1);
                System.arraycopy(ids, 1, ids, 0, depth - 1);
                depth--;
            }
            handles[depth] = handle;
            irq[depth] = isIrq;
            ids[depth++] = id;
        }
    }

    SvStream(ByteInput in, Recording rec, String source, int streamCore, boolean espExtension, boolean systemEvents) {
        this(in, rec, source, streamCore, espExtension, systemEvents, false, -1);
    }

    /**
     * @param raw        a raw stream from UART or USB-Serial-JTAG (see the class comment)
     * @param heapEvents the heap module's event offset the user gave, or -1
     */
    SvStream(ByteInput in, Recording rec, String source, int streamCore, boolean espExtension, boolean systemEvents, boolean raw,
             int heapEvents) {
        this.raw = raw;
        this.givenHeapOffset = heapEvents;
        this.in = in;
        this.rec = rec;
        if (heapEvents >= 0) {
            heapAt(heapEvents);
        }
        this.source = source;
        this.streamCore = streamCore;
        this.espExtension = espExtension;
        this.systemEvents = systemEvents;
        this.cores = new CoreContext[] {new CoreContext(0), new CoreContext(1)};
    }

    /** Checks the sync bytes at the start of the stream. Returns false (with a warning) when they are damaged. */
    boolean readSync() throws IOException {
        int n = in.ensure(SYNC_LEN);
        for (int i = 0; i < Math.min(n, SYNC_LEN); i++) {
            if (in.buf[in.pos + i] != 0) {
                damage(in.offset() + i, "bad sync sequence (expected 10 zero bytes); stream not decoded");
                done = true;
                return false;
            }
        }
        if (n < SYNC_LEN) {
            warn(in.offset() + n, "data ends inside the sync sequence");
            done = true;
            return false;
        }
        in.pos += SYNC_LEN;
        return true;
    }

    /** Signals that a packet cannot be decoded; caught in {@link #next()}. */
    private static final class Damage extends Exception {
        final int at;

        Damage(int at, String message) {
            super(message, null, false, false);
            this.at = at;
        }
    }

    /** The next model event of this stream, or null at its end. */
    Event next() throws IOException {
        while (!done) {
            int avail = in.ensure(MAX_PACKET);
            if (avail == 0) {
                done = true;
                ended();
                return null;
            }
            b = in.buf;
            p = in.pos;
            end = p + avail;
            if (raw && !in.ended() && avail < MAX_PACKET && framing.end(b, p, end) == RawFraming.CUT) {
                in.more(); // a live window ends inside this packet: the rest is on its way
                continue;
            }
            if (raw && !framed()) {
                continue;
            }
            int start = p;
            try {
                Event e = packet();
                in.pos = p;
                decodedAny = true;
                if (e != null) {
                    return e;
                }
            } catch (Damage d) {
                if (raw) { // the framing proved this start, so the damage is data lost inside the packet
                    p = start;
                    int q = resync();
                    lose(q < 0 ? end - p : q - p);
                    continue;
                }
                long at = in.offsetOf(d.at);
                damage(at, d.getMessage() + " (packet at byte " + in.offsetOf(start) + "); decoding of this stream stopped");
                done = true;
            }
        }
        return null;
    }

    /**
     * Raw streams: whether a packet starts at {@code p}, as proven by the packets that follow it; if not, skips to the
     * next proven start (or as far as the data allows) and returns false.
     */
    private boolean framed() throws IOException {
        long at = in.offset();
        if (jumpAt >= 0) {
            if (at == jumpAt) {
                jumpAt = -1;
                return true;
            }
            int e = framing.end(b, p, end);
            if (at < jumpAt && (e < 0 || in.offsetOf(e) > jumpAt)) {
                lose(jumpAt - at); // the packet cut by the loss, and what is left of the one cut at its other end
                return false;
            }
            if (at > jumpAt) {
                jumpAt = -1;
            }
            return true; // a packet before the loss
        }
        if (at < trustedTo) {
            return true;
        }
        boolean proven = framing.proves(b, p, end, in.ended(), decodedAny ? 0 : 2);
        if (waited()) {
            return false;
        }
        int half = framing.half;
        int q = -1;
        if (proven && framing.alone) {
            // a heap event followed by undecodable bytes: kept, unless a proven start inside it says it was cut there
            q = framing.strongStart(b, p + 1, framing.end(b, p, end), end, in.ended());
            if (waited()) {
                return false;
            }
            proven = q < 0;
        }
        if (proven) {
            trustedTo = in.offsetOf(half);
            return true;
        }
        if (q < 0) {
            q = resync();
        }
        if (q >= 0) {
            jumpAt = in.offsetOf(q);
            trustedTo = jumpAt;
            return false;
        }
        lose(in.ended() ? end - p : Math.max(1, end - p - RESYNC_KEEP));
        return false;
    }

    /**
     * Raw streams: the first proven packet start after {@code p}, or -1. A verdict that more data could overturn waits
     * for it, as a file's window holds it, so that a live stream is framed as its saved file is however its bytes
     * arrive, unless the link falls silent ({@link #VERDICT_WAIT_MS}); {@link #b}, {@link #p} and {@link #end} then
     * follow the window.
     */
    private int resync() throws IOException {
        int q = framing.resync(b, p + 1, end, in.ended());
        while (waited()) {
            q = framing.resync(b, p + 1, end, in.ended());
        }
        return q;
    }

    /**
     * Whether the framing's last verdict rested on the end of a window shorter than the longest packet, and more bytes
     * came ({@link #VERDICT_WAIT_MS}): the window then holds them, and {@link #b}, {@link #p} and {@link #end} follow.
     */
    private boolean waited() throws IOException {
        if (!framing.undecided || in.ended() || end - p >= MAX_PACKET || !in.arrives(VERDICT_WAIT_MS)) {
            return false;
        }
        int avail = in.more();
        b = in.buf;
        p = in.pos;
        end = p + avail;
        return true;
    }

    /** Skips {@code n} bytes at {@code p} that cannot be decoded: lost data, or the part of a packet before the capture began. */
    private void lose(long n) {
        long at = in.offset();
        in.pos += (int) n;
        if (!decodedAny) {
            warn(at, "the stream starts inside a packet (the capture began while the device was sending): " + n
                    + " bytes skipped to the first packet start; allocations before it are unseen");
            decodedAny = true;
            return;
        }
        gaps++;
        lostBytes += n;
        long lossNs = time();
        rec.noteLoss(lossNs);
        if (firstGapAt < 0) {
            firstGapAt = at;
        }
        if (gaps <= MAX_GAP_WARNINGS) {
            warn(at, "data lost: " + n + " bytes skipped to the next packet start at byte " + (at + n)
                    + (gaps == MAX_GAP_WARNINGS ? "; later losses are only counted" : ""));
        }
        rec.update(new Condition(Condition.Kind.LOST_BYTES, source, source + ": data was lost in " + gaps + (gaps == 1 ? " place" : " places")
                + " (first at byte " + firstGapAt + "): " + lostBytes + " bytes could not be decoded and at least " + gaps
                + (gaps == 1 ? " event was" : " events were") + " lost (how much the device dropped there the stream does not say):"
                + String.format(Locale.ROOT, " a leak allocated before the last loss (at %.6f s) is uncertain, as a block whose free "
                + "was lost looks leaked, and times after a loss are short by its length", lossNs / 1e9),
                "The device's trace buffer dropped data the host did not read in time: raise the link's speed"
                        + " (CONFIG_APPTRACE_UART_BAUDRATE), its buffer (CONFIG_APPTRACE_UART_TX_BUFF_SIZE,"
                        + " CONFIG_ESP_TRACE_USJ_TX_BUFFER_SIZE), or trace fewer SystemView events"));
    }

    /** Raw streams: what the inference of the heap events' ids found, said once the stream has ended. */
    private void ended() {
        if (!raw || givenHeapOffset >= 0) {
            return;
        }
        if (heapOffset < 0 && notHeapAtOffset > 0) {
            warn(in.offset(), notHeapAtOffset + " module events (ids 512-515) seen, none of which decodes as a heap event; "
                    + "if the firmware traces the heap, give the id of its allocation event with --heap-events");
        } else if (notHeapAtOffset > 0) {
            warn(in.offset(), "of the packets at ids " + heapOffset + "/" + (heapOffset + 1) + ", " + heapAtOffset
                    + " decode as heap events and " + notHeapAtOffset + " do not: if the firmware registers other SystemView"
                    + " modules, give the id of the heap allocation event with --heap-events");
        }
    }

    /** Whether this is a raw UART or USB-Serial-JTAG stream. */
    boolean raw() {
        return raw;
    }

    /** Core of an event of a raw stream: known only on a one-core chip. */
    private int rawCore() {
        return chip != null && chip.cores() == 1 ? 0 : Event.UNKNOWN_CORE;
    }

    private Event packet() throws Damage {
        int start = p;
        int b0 = u8();
        int id;
        int core = streamCore;
        if ((b0 & 0x80) != 0) {
            int b1 = u8();
            if ((b1 & 0x80) != 0) {
                throw new Damage(p - 1, "event id longer than 2 bytes");
            }
            if (espExtension) {
                core = (b1 >> 6) & 1;
                b1 &= ~0x40;
            }
            id = (b1 << 7) | (b0 & 0x7F);
        } else if (espExtension) {
            core = (b0 >> 6) & 1;
            id = b0 & 0x3F;
        } else {
            id = b0;
        }
        if (raw) {
            core = rawCore();
        }
        if (id >= SvIds.FIRST_WITH_LENGTH) {
            int plen = u8();
            if ((plen & 0x80) != 0) {
                plen = (u8() << 7) | (plen & 0x7F);
            }
            int payload = p;
            if (plen > end - payload) {
                throw new Damage(start, "packet of " + plen + " payload bytes runs past the end of the data");
            }
            p += plen;
            long delta = u32();
            return lengthPacket(id, core, payload, payload + plen, delta);
        }
        return shortPacket(id, core);
    }

    /** Events below {@link SvIds#FIRST_WITH_LENGTH}: the payload layout is implied by the id. */
    private Event shortPacket(int id, int core) throws Damage {
        CoreContext ctx = cores[Math.max(core, 0)];
        switch (id) {
            case SvIds.NOP -> {
                if (raw) { // a sync: the device started again
                    while (p < end && b[p] == 0) {
                        p++;
                    }
                    return null;
                }
                advance(u32());
                return null;
            }
            case SvIds.OVERFLOW -> {
                long dropped = u32();
                long time = advance(u32());
                warn(in.offsetOf(p), "the device dropped " + dropped + " events (trace buffer overflow): results are incomplete");
                droppedEvents(dropped);
                return new Overflow(time, core, dropped);
            }
            case SvIds.ISR_ENTER -> {
                long irq = u32();
                long time = advance(u32());
                ctx.push(irq, true, rec.contexts().intern(Context.Kind.ISR, irqName(irq)));
                return system(time, core, ctx, id, "isr_enter", "irq " + irq);
            }
            case SvIds.ISR_EXIT, SvIds.ISR_TO_SCHEDULER -> {
                long time = advance(u32());
                if (ctx.depth > 0) {
                    ctx.depth--;
                }
                ctx.known = true;
                return system(time, core, ctx, id, id == SvIds.ISR_EXIT ? "isr_exit" : "isr_to_scheduler", "");
            }
            case SvIds.TASK_START_EXEC -> { // the task replaces whatever ran
                long tid = u32();
                long time = advance(u32());
                ctx.depth = 0;
                ctx.push(tid, false, rec.contexts().intern(Context.Kind.TASK, taskName(tid)));
                return system(time, core, ctx, id, "task_start_exec", taskName(tid));
            }
            case SvIds.TASK_STOP_EXEC -> { // the context stays until the next switch
                long time = advance(u32());
                return system(time, core, ctx, id, "task_stop_exec", "");
            }
            case SvIds.TASK_START_READY, SvIds.TASK_CREATE -> {
                long tid = u32();
                long time = advance(u32());
                return system(time, core, ctx, id, id == SvIds.TASK_START_READY ? "task_start_ready" : "task_create", taskName(tid));
            }
            case SvIds.TASK_STOP_READY -> { // the running task blocks
                long tid = u32();
                long cause = u32();
                long time = advance(u32());
                if (ctx.depth > 0 && !ctx.irq[ctx.depth - 1] && ctx.handles[ctx.depth - 1] == tid) {
                    ctx.depth--;
                }
                ctx.known = true;
                return system(time, core, ctx, id, "task_stop_ready", taskName(tid) + " cause " + cause);
            }
            case SvIds.TASK_INFO -> {
                long tid = u32();
                long prio = u32();
                String name = str();
                long time = advance(u32());
                taskNames.put(tid, name);
                return system(time, core, ctx, id, "task_info", name + " prio " + prio + " tid " + tid);
            }
            case SvIds.TRACE_START -> { // time starts here, its own delta does not count
                u32();
                if (!traceStarted) {
                    traceStarted = true;
                    ticks = 0;
                }
                return system(time(), core, ctx, id, "trace_start", "");
            }
            case SvIds.TRACE_STOP -> {
                long time = advance(u32());
                return system(time, core, ctx, id, "trace_stop", "");
            }
            case SvIds.SYSTIME_CYCLES, SvIds.USER_START, SvIds.USER_STOP, SvIds.TIMER_ENTER -> {
                long value = u32();
                long time = advance(u32());
                return system(time, core, ctx, id, switch (id) {
                    case SvIds.SYSTIME_CYCLES -> "systime_cycles";
                    case SvIds.USER_START -> "user_start";
                    case SvIds.USER_STOP -> "user_stop";
                    default -> "timer_enter";
                }, Long.toString(value));
            }
            case SvIds.SYSTIME_US -> { // 64-bit as two varints
                long lo = u32();
                long hi = u32();
                long time = advance(u32());
                return system(time, core, ctx, id, "systime_us", Long.toUnsignedString(lo | (hi << 32)));
            }
            case SvIds.SYSDESC -> {
                String desc = str();
                long time = advance(u32());
                sysdesc(desc);
                return system(time, core, ctx, id, "sysdesc", desc);
            }
            case SvIds.IDLE, SvIds.TIMER_EXIT -> {
                long time = advance(u32());
                return system(time, core, ctx, id, id == SvIds.IDLE ? "idle" : "timer_exit", "");
            }
            case SvIds.STACK_INFO -> {
                long tid = u32();
                long base = u32();
                long size = u32();
                u32();
                long time = advance(u32());
                return system(time, core, ctx, id, "stack_info", String.format("%s base 0x%08x size %d", taskName(tid), base, size));
            }
            case SvIds.MODULEDESC -> {
                long modId = u32();
                long offset = u32();
                String desc = str();
                long time = advance(u32());
                if (givenHeapOffset < 0 && desc.endsWith(SvIds.HEAP_MODULE_NAME) && offset >= SvIds.FIRST_MODULE_EVENT
                        && offset < SvIds.MODULE_EVENT_LIMIT) {
                    heapAt((int) offset);
                }
                return system(time, core, ctx, id, "module_desc", "module " + modId + " offset " + offset + " " + desc);
            }
            default -> throw new Damage(p - 1, id == SvIds.DATA_SAMPLE
                    ? "DATA_SAMPLE event cannot be decoded (no length field)"
                    : "unknown event id " + id);
        }
    }

    /** Events from {@link SvIds#FIRST_WITH_LENGTH} on carry their payload length, so unknown ones are skipped. */
    private Event lengthPacket(int id, int core, int from, int to, long delta) throws Damage {
        CoreContext ctx = cores[Math.max(core, 0)];
        int after = p;
        if (id >= SvIds.FIRST_MODULE_EVENT) {
            if (raw && heapOffset < 0) {
                inferHeapEvents(id, from, to);
            }
            if (!raw && heapOffset < 0 && (id == SvIds.HEAP_EVENTS || id == SvIds.HEAP_EVENTS + 1)) {
                heapAt(SvIds.HEAP_EVENTS);
                if (!heapOffsetGuessed) {
                    heapOffsetGuessed = true;
                    warn(in.offsetOf(from), "heap module description missing; assuming heap events at ids 512/513");
                }
            }
            if (heapOffset >= 0 && (id == heapOffset || id == heapOffset + 1)) {
                if (raw) {
                    if (framing.heap(b, from, to, id == heapOffset)) {
                        heapAtOffset++;
                    } else {
                        notHeapAtOffset++;
                    }
                    if (framing.slots < 0) {
                        framing.slots = Math.max(-1, framing.callerSlots(b, from, to, id == heapOffset));
                    }
                    maxHeapPacket = Math.max(maxHeapPacket, after - from + 4);
                }
                p = from;
                long address = u32(to);
                long size = id == heapOffset ? u32(to) : 0;
                int n = 0;
                while (p < to) {
                    long caller = u32(to);
                    if (n < MAX_CALLERS) {
                        callers[n++] = caller;
                    }
                }
                while (n > 0 && callers[n - 1] == 0) {
                    n--;
                }
                int depth = 0;
                while (depth < n && callers[depth] != 0) {
                    depth++; // frames after the first zero slot are padding
                }
                p = after;
                long time = advance(delta);
                int stack = rec.stacks().intern(callers, depth);
                // on a raw stream of a two-core chip the event may come from the CPU whose tasks the stream does not show
                int context = raw && core == Event.UNKNOWN_CORE ? 0 : ctx.current();
                return id == heapOffset
                        ? new Alloc(time, core, context, address, size, stack)
                        : new Free(time, core, context, address, stack);
            }
            if (raw && heapOffset < 0) {
                notHeapAtOffset++;
            }
            long time = advance(delta);
            return systemEvents ? new SystemEvent(time, core, ctx.current(), id, "module_event", "") : null;
        }
        switch (id) {
            case SvIds.INIT -> {
                p = from;
                long sysFreq = u32(to);
                long cpuFreq = u32(to);
                long ramBase = u32(to);
                long shift = u32(to);
                p = after;
                if (sysFreq > 0) {
                    timerHz = sysFreq;
                    rec.setTimerFrequencyHz(sysFreq);
                }
                rec.setCpuFrequencyHz(cpuFreq);
                this.ramBase = ramBase;
                this.idShift = (int) Math.min(shift, 31);
                long time = advance(delta);
                return system(time, core, ctx, id, "init",
                        "sys_freq " + sysFreq + " cpu_freq " + cpuFreq + String.format(" ram_base 0x%08x", ramBase) + " id_shift " + shift);
            }
            case SvIds.PRINT_FORMATTED -> {
                p = from;
                String msg = str(to);
                p = after;
                long time = advance(delta);
                return new LogMessage(time, core, ctx.current(), msg);
            }
            default -> {
                long time = advance(delta);
                return system(time, core, ctx, id, id == SvIds.NAME_RESOURCE ? "name_resource" : id == SvIds.NUMMODULES ? "num_modules" : "os_event", "");
            }
        }
    }

    /**
     * No module description says where the heap events are (it never reaches the host over UART or
     * USB-Serial-JTAG): the first module event that decodes as a heap allocation or free decides, at 512 (the heap
     * module registered first) or 514 (after function tracing's two events), and the evidence is said.
     */
    private void inferHeapEvents(int id, int from, int to) {
        if (id >= SvIds.HEAP_EVENTS_AFTER_FUNCTION_TRACE + 2 || !framing.heap(b, from, to, (id & 1) == 0)) {
            return;
        }
        heapAt(id & ~1);
        int save = p;
        p = from;
        String evidence;
        try {
            long address = u32(to);
            evidence = String.format(Locale.ROOT, "the packet at id %d decodes as %s (block 0x%08x, an address in RAM%s, %d caller slots, each 0 or in code)",
                    id, id == heapOffset ? "an allocation" : "a free", address, id == heapOffset ? ", size " + u32(to) : "",
                    framing.callerSlots(b, from, to, id == heapOffset));
        } catch (Damage d) {
            evidence = "the packet at id " + id + " decodes as a heap event";
        } finally {
            p = save;
        }
        warn(in.offsetOf(from), "no heap module description (never sent over UART or USB-Serial-JTAG): heap events taken at ids "
                + heapOffset + "/" + (heapOffset + 1) + (heapOffset == SvIds.HEAP_EVENTS ? " (the heap module registered first)"
                : " (after function tracing's module, CONFIG_ESP_TRACE_FUNCTION_TRACE)") + ": " + evidence
                + (notHeapAtOffset > 0 ? "; " + notHeapAtOffset + " module events before it do not" : "")
                + "; --heap-events N sets the id of the allocation event");
    }

    /** The heap module's events are at OFFSET (alloc) and the next id (free): for the decoder, its framing and the recording. */
    private void heapAt(int offset) {
        heapOffset = offset;
        framing.heapOffset = offset;
        rec.setHeapEvents(offset);
    }

    private Event system(long time, int core, CoreContext ctx, int id, String name, String detail) {
        return systemEvents ? new SystemEvent(time, core, ctx.current(), id, name, detail) : null;
    }

    private void sysdesc(String desc) {
        if (desc.startsWith("I#")) {
            int eq = desc.indexOf('=');
            if (eq > 2) {
                try {
                    irqNames.put(Long.parseLong(desc.substring(2, eq)), desc.substring(eq + 1));
                } catch (NumberFormatException ignored) {
                    // not an interrupt description after all
                }
            }
            return;
        }
        for (String part : desc.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (key.equals("ELF_SHA256") && !ELF_DIGEST.matcher(value).matches()) {
                    warn(in.offsetOf(p), "ELF_SHA256 in the system description is not a hex digest; the ELF is not checked against it");
                    continue;
                }
                rec.putSystem(key, value);
                if (key.equals("D")) {
                    rec.setChip(value, "SystemView header");
                    if (chip == null) {
                        chip = Chip.parse(value).orElse(null);
                    }
                }
            }
        }
    }

    private String taskName(long tid) {
        String name = taskNames.get(tid);
        return name != null ? name : String.format("0x%08x", ((tid << idShift) + ramBase) & 0xFFFFFFFFL);
    }

    private String irqName(long irq) {
        String name = irqNames.get(irq);
        return name != null ? name : "IRQ" + irq;
    }

    /** Adds a packet's delta and returns the packet's time in ns. */
    /** Keeps the stream's overflow condition current: one per stream, with the running count. */
    private void droppedEvents(long count) {
        droppedTotal += count;
        overflows++;
        rec.update(new Condition(Condition.Kind.DROPPED_EVENTS, source, source + ": the device's trace buffer overflowed " + overflows
                + (overflows == 1 ? " time" : " times") + " and it dropped " + droppedTotal
                + " events: some leaks may be missing, and some false (a dropped free looks like a leak)",
                raw ? "Over UART and USB-Serial-JTAG a packet longer than CONFIG_APPTRACE_UART_TX_MSG_SIZE (default 128 bytes)"
                        + " is always dropped, and a heap event grows by 5 bytes per caller slot (about 128 bytes at"
                        + " CONFIG_HEAP_TRACING_STACK_DEPTH 23)" + (framing.slots >= 0 ? "; this build sends " + framing.slots
                        + " slots, heap events of up to " + maxHeapPacket + " bytes so far" : "") + ": raise"
                        + " CONFIG_APPTRACE_UART_TX_MSG_SIZE or lower CONFIG_HEAP_TRACING_STACK_DEPTH; otherwise trace less"
                        + " (turn off the SystemView events other than heap ones) or raise CONFIG_APPTRACE_UART_BAUDRATE."
                : "Trace less: turn off the SystemView events other than heap ones in menuconfig (Application Level Tracing"
                        + " > SystemView Tracing), raise OpenOCD's adapter speed, or capture a shorter stretch."));
    }

    private long advance(long delta) {
        ticks += delta;
        return time();
    }

    private long time() {
        long hz = timerHz;
        if (hz == 0) {
            if (!warnedNoInit && ticks > 0) {
                warnedNoInit = true;
                warn(in.offsetOf(p), "events before the INIT packet: their times assume a 40 MHz timer");
            }
            hz = DEFAULT_TIMER_HZ;
        }
        return (ticks / hz) * 1_000_000_000L + ((ticks % hz) * 1_000_000_000L + hz / 2) / hz;
    }

    private int u8() throws Damage {
        if (p >= end) {
            throw new Damage(p, "data ends inside a packet");
        }
        return b[p++] & 0xFF;
    }

    private long u32() throws Damage {
        return u32(end);
    }

    /** SEGGER varint: 7 bits a byte, low group first, at most 5 bytes for 32 bits. */
    private long u32(int limit) throws Damage {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (p >= limit) {
                throw new Damage(p, limit == end ? "data ends inside a packet" : "field runs past the packet's payload");
            }
            int x = b[p++];
            value |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return value & 0xFFFFFFFFL;
            }
        }
        throw new Damage(p - 1, "varint longer than 5 bytes");
    }

    private String str() throws Damage {
        return str(end);
    }

    /** Length byte (0xFF: 2 more bytes, big-endian) then UTF-8 bytes. */
    private String str(int limit) throws Damage {
        if (p >= limit) {
            throw new Damage(p, "string runs past the packet");
        }
        int n = b[p++] & 0xFF;
        if (n == 0xFF) {
            if (p + 2 > limit) {
                throw new Damage(p, "string length runs past the packet");
            }
            n = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
            p += 2;
        }
        if (n > limit - p) {
            throw new Damage(p, "string of " + n + " bytes runs past the packet");
        }
        String s = new String(b, p, n, StandardCharsets.UTF_8);
        p += n;
        return s;
    }

    private void damage(long offset, String message) {
        rec.warnDamage(new Warning(source, Warning.Unit.BYTE, offset, message));
    }

    private void warn(long offset, String message) {
        rec.warn(new Warning(source, Warning.Unit.BYTE, offset, message));
    }
}
