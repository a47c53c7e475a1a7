package heapscope.sysview;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes SystemView streams in exactly the encoding ESP-IDF's target code and OpenOCD produce: the text header,
 * the sync bytes, and packets {@code id [plen] payload delta} with SEGGER varints. Used to generate test traces
 * and benchmark inputs with known contents.
 *
 * <p>A {@link #raw} writer shapes the stream as the UART and USB-Serial-JTAG links carry it instead (ESP-IDF's
 * {@code SEGGER_RTT_esp.c} and the apptrace UART port): no header and no core marker, no module descriptions, the
 * scheduler, interrupt and timer events of one CPU only, and packets longer than the link's message size dropped
 * and counted in the next OVERFLOW packet, as SEGGER's core does. The deltas of packets left out are added to the
 * next one written, so times stay whole.
 */
public final class SvWriter {
    /** ESP-IDF's heap module description, as the target sends it. */
    public static final String HEAP_MODULE = "M=" + SvIds.HEAP_MODULE_NAME;

    /** ESP-IDF's default {@code CONFIG_APPTRACE_UART_TX_MSG_SIZE}: longer packets never leave the device. */
    public static final int UART_MESSAGE_SIZE = 128;

    /** The sync before a stream's first packet: ten zero bytes. */
    public static final int SYNC_LENGTH = SvStream.SYNC_LEN;

    private final OutputStream out;
    private final boolean espExtension;
    private final boolean raw;
    private final int destCpu;
    private final int messageSize;
    private final ByteArrayOutputStream packet = new ByteArrayOutputStream(256);
    private long heldDelta;
    private long dropped;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream(256);
    private final byte[] scratch = new byte[16];

    /** Starts a stream: writes nothing yet; call {@link #header} and {@link #sync} as the layout needs. */
    public SvWriter(OutputStream out, boolean espExtension) {
        this(out, espExtension, false, 0, Integer.MAX_VALUE);
    }

    private SvWriter(OutputStream out, boolean espExtension, boolean raw, int destCpu, int messageSize) {
        this.out = out;
        this.espExtension = espExtension;
        this.raw = raw;
        this.destCpu = destCpu;
        this.messageSize = messageSize;
    }

    /**
     * A writer of the raw stream a UART or USB-Serial-JTAG link carries: scheduler events of {@code destCpu} only
     * ({@code CONFIG_SEGGER_SYSVIEW_DEST_CPU}), packets over {@code messageSize} bytes dropped.
     */
    public static SvWriter raw(OutputStream out, int destCpu, int messageSize) {
        return new SvWriter(out, false, true, destCpu, messageSize);
    }

    /** Packets a raw writer dropped for their length and has not reported in an OVERFLOW packet yet. */
    public long pendingDrops() {
        return dropped;
    }

    /** OpenOCD's header: V2.42 with optional {@code ; ESP_Extension}, or V3.60 with core offsets. */
    public static byte[] header(boolean espExtension, List<Long> coreOffsets) {
        StringBuilder b = new StringBuilder(";\n");
        b.append(coreOffsets.isEmpty() ? "; Version     SEGGER SystemViewer V2.42\n" : "; Version     SEGGER SystemViewer V3.60\n");
        b.append("; Author      Espressif Inc\n");
        if (espExtension) {
            b.append("; ESP_Extension\n");
        }
        for (int core = 0; core < coreOffsets.size(); core++) {
            b.append("; Offset Core").append(core).append(' ').append(coreOffsets.get(core)).append('\n');
        }
        b.append(";\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The header heapscope capture writes before a raw UART or USB-Serial-JTAG stream: OpenOCD's V2.42 header, which
     * ESP-IDF's sysviewtrace_proc.py and SEGGER SystemView expect, with a line that says the stream came raw.
     */
    public static byte[] rawLinkHeader() {
        return (";\n; Version     SEGGER SystemViewer V2.42\n; Author      Espressif Inc\n" + SvHeader.RAW_LINK + "\n;\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** ESP-IDF's heap module description (module 0 at EVENT_OFFSET) as one packet, which raw links never carry. */
    public static byte[] heapModuleDescription(int eventOffset) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new SvWriter(b, false).moduleDesc(0, 0, eventOffset, HEAP_MODULE, 0);
        return b.toByteArray();
    }

    /**
     * Starts a stream file as OpenOCD does: the V2.42 header (with the ESP_Extension line if set), then the sync; a
     * raw writer writes only the sync, as the device does on START.
     */
    public void start() throws IOException {
        if (!raw) {
            out.write(header(espExtension, List.of()));
        }
        sync();
    }

    public void sync() throws IOException {
        out.write(new byte[SvStream.SYNC_LEN]);
    }

    /**
     * Writes one packet. Ids below {@link SvIds#FIRST_WITH_LENGTH} carry no length field; their payload must be laid out as the id implies.
     * With the ESP extension, bit 6 of the last id byte carries the core (so one-byte ids must be below 64).
     */
    public void packet(int id, int core, byte[] body, int offset, int length, long delta) throws IOException {
        if (!raw) {
            encode(out, id, core, body, offset, length, delta);
            return;
        }
        long total = heldDelta + delta;
        if (id == SvIds.MODULEDESC || core != destCpu && oneCpuOnly(id)) {
            heldDelta = total; // the link drops these
            return;
        }
        if (dropped > 0 && id != SvIds.OVERFLOW) {
            int n = varint(scratch, dropped);
            byte[] count = Arrays.copyOf(scratch, n);
            packet.reset();
            encode(packet, SvIds.OVERFLOW, 0, count, 0, n, 0);
            if (packet.size() <= messageSize) {
                packet.writeTo(out);
                dropped = 0;
            }
        }
        packet.reset();
        encode(packet, id, core, body, offset, length, total);
        if (packet.size() > messageSize) {
            dropped++;
            heldDelta = total;
            return;
        }
        heldDelta = 0;
        packet.writeTo(out);
    }

    /** Events the link passes only from the CPU it traces ({@code SEGGER_RTT_esp.c}'s filter). */
    private static boolean oneCpuOnly(int id) {
        return switch (id) {
            case SvIds.ISR_ENTER, SvIds.ISR_EXIT, SvIds.TASK_START_EXEC, SvIds.TASK_STOP_EXEC, SvIds.TASK_START_READY,
                 SvIds.TASK_STOP_READY, SvIds.ISR_TO_SCHEDULER, SvIds.TIMER_ENTER, SvIds.TIMER_EXIT, SvIds.STACK_INFO,
                 SvIds.IDLE -> true;
            default -> false;
        };
    }

    private void encode(OutputStream out, int id, int core, byte[] body, int offset, int length, long delta) throws IOException {
        if (espExtension) {
            if (id < 64) {
                out.write(id | (core << 6));
            } else {
                out.write(0x80 | (id & 0x7F));
                out.write((id >> 7) | (core << 6));
            }
        } else if (id < 128) {
            out.write(id);
        } else {
            out.write(0x80 | (id & 0x7F));
            out.write(id >> 7);
        }
        if (id >= SvIds.FIRST_WITH_LENGTH) {
            if (length < 128) {
                out.write(length);
            } else {
                out.write(0x80 | (length & 0x7F));
                out.write(length >> 7);
            }
        }
        out.write(body, offset, length);
        writeVarint(out, delta);
    }

    public void traceStart(int core, long delta) throws IOException {
        emit(SvIds.TRACE_START, core, delta);
    }

    public void init(int core, long sysFreq, long cpuFreq, long ramBase, long idShift, long delta) throws IOException {
        u32(sysFreq).u32(cpuFreq).u32(ramBase).u32(idShift).emit(SvIds.INIT, core, delta);
    }

    public void sysdesc(int core, String desc, long delta) throws IOException {
        str(desc).emit(SvIds.SYSDESC, core, delta);
    }

    public void taskInfo(int core, long tid, long prio, String name, long delta) throws IOException {
        u32(tid).u32(prio).str(name).emit(SvIds.TASK_INFO, core, delta);
    }

    public void moduleDesc(int core, long moduleId, long eventOffset, String desc, long delta) throws IOException {
        u32(moduleId).u32(eventOffset).str(desc).emit(SvIds.MODULEDESC, core, delta);
    }

    public void taskStartExec(int core, long tid, long delta) throws IOException {
        u32(tid).emit(SvIds.TASK_START_EXEC, core, delta);
    }

    public void taskStopReady(int core, long tid, long cause, long delta) throws IOException {
        u32(tid).u32(cause).emit(SvIds.TASK_STOP_READY, core, delta);
    }

    public void isrEnter(int core, long irq, long delta) throws IOException {
        u32(irq).emit(SvIds.ISR_ENTER, core, delta);
    }

    public void isrExit(int core, long delta) throws IOException {
        emit(SvIds.ISR_EXIT, core, delta);
    }

    public void traceStop(int core, long delta) throws IOException {
        emit(SvIds.TRACE_STOP, core, delta);
    }

    public void overflow(int core, long dropped, long delta) throws IOException {
        u32(dropped).emit(SvIds.OVERFLOW, core, delta);
    }

    /** Heap allocation event: all {@code slots} caller slots are sent, unused ones as 0, as the target does. */
    public void heapAlloc(int core, int eventOffset, long address, long size, long[] callers, int depth, int slots, long delta)
            throws IOException {
        u32(address).u32(size);
        callers(callers, depth, slots).emit(eventOffset, core, delta);
    }

    public void heapFree(int core, int eventOffset, long address, long[] callers, int depth, int slots, long delta) throws IOException {
        u32(address);
        callers(callers, depth, slots).emit(eventOffset + 1, core, delta);
    }

    /** ESP-IDF log line sent through {@code esp_sysview_vprintf}: message, level 0, unused 0. */
    public void print(int core, String message, long delta) throws IOException {
        str(message).u32(0).u32(0).emit(SvIds.PRINT_FORMATTED, core, delta);
    }

    private SvWriter callers(long[] callers, int depth, int slots) {
        for (int i = 0; i < slots; i++) {
            u32(i < depth ? callers[i] : 0);
        }
        return this;
    }

    private SvWriter u32(long value) {
        int n = varint(scratch, value);
        payload.write(scratch, 0, n);
        return this;
    }

    private SvWriter str(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 0xFF) {
            payload.write(bytes.length);
        } else {
            int n = Math.min(bytes.length, 0xFFFF);
            payload.write(0xFF);
            payload.write(n >> 8);
            payload.write(n & 0xFF);
            payload.write(bytes, 0, n);
            return this;
        }
        payload.write(bytes, 0, bytes.length);
        return this;
    }

    private void emit(int id, int core, long delta) throws IOException {
        byte[] body = payload.toByteArray();
        payload.reset();
        packet(id, core, body, 0, body.length, delta);
    }

    private void writeVarint(OutputStream o, long value) throws IOException {
        int n = varint(scratch, value);
        o.write(scratch, 0, n);
    }

    /** SEGGER varint of an unsigned 32-bit value. */
    static int varint(byte[] into, long value) {
        long v = value & 0xFFFFFFFFL;
        int n = 0;
        while (v >= 0x80) {
            into[n++] = (byte) (0x80 | (v & 0x7F));
            v >>>= 7;
        }
        into[n++] = (byte) v;
        return n;
    }
}
