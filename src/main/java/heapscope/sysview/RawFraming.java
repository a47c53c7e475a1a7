package heapscope.sysview;

import heapscope.chip.Chip;
import heapscope.chip.Region;

/**
 * Where packets start in a raw SystemView stream (UART, USB-Serial-JTAG): no header, no framing, no checksum, and
 * the device's ring buffer drops its oldest bytes when the host reads too slowly, so a stream can start or go on
 * in the middle of a packet. A packet boundary is proven by a chain of packets from it that are each well-formed
 * and plausible for ESP-IDF's firmware (ids it sends, heap events with a heap address, a plausible size and callers
 * in code, the same number of caller slots in every one), worth {@link #PROOF} points together; a heap event is
 * worth most, as random bytes almost never pass as one. Reads only; the decoder keeps the state it learns here.
 */
final class RawFraming {
    /** Points a chain of packets needs to prove its first packet's start. */
    static final int PROOF = 8;
    /** Points of a heap event, which random bytes almost never pass for. */
    private static final int HEAP_POINTS = 4;
    /** A packet that is not well-formed or not plausible. */
    static final int BAD = -1;
    /** The data ends inside the packet. */
    static final int CUT = -2;

    /** ESP-IDF's SystemView FreeRTOS events ({@code SYSVIEW_FreeRTOS.txt}): ids 33-63 and 128-255. */
    private static final int FIRST_OS_EVENT = 33;
    private static final int LAST_LOW_OS_EVENT = 63;
    private static final int FIRST_HIGH_OS_EVENT = 128;
    private static final int MAX_OS_EVENT = 255;
    /** Parameters of the longest of them (queue and stream-buffer calls take up to five). */
    private static final int MAX_OS_PARAMS = 6;
    /** Longest length-prefixed packet these links send (their messages are 128 bytes by default). */
    private static final int MAX_PLEN = 1024;
    private static final int MAX_HEAP_SLOTS = 32 + 2; // CONFIG_HEAP_TRACING_STACK_DEPTH is at most 32
    /** Larger than any ESP32's RAM. */
    private static final long MAX_BLOCK = 64L << 20;
    /** IRQ numbers of ESP32 interrupt sources (and SystemView's own, below 16). */
    private static final long MAX_IRQ = 255;

    private static final long[][] HEAP_WINDOWS = {
            {0x3C000000L, 0x40000000L}, // ESP32, S2, S3, C2, C3: DRAM and PSRAM on the data bus
            {0x40070000L, 0x400C0000L}, // ESP32 IRAM and D/IRAM
            {0x40370000L, 0x403E0000L}, // S3, C3 IRAM
            {0x40800000L, 0x40900000L}, // C5, C6, C61, H2 HP SRAM
            {0x48000000L, 0x50000000L}, // P4 PSRAM and L2MEM
            {0x50000000L, 0x50200000L}, // RTC and LP RAM
            {0x30100000L, 0x30200000L}, // P4 TCM
            {0x88000000L, 0x90000000L}, // P4 non-cacheable aliases
    };

    private final long[] values = new long[MAX_HEAP_SLOTS + 1];

    /** Alloc event id once known (free is the next), else -1. */
    int heapOffset = -1;
    /** Caller slots every heap event carries (CONFIG_HEAP_TRACING_STACK_DEPTH), once learned, else -1. */
    int slots = -1;

    /** Where the chain {@link #proves} last judged had earned half its points: packets before it need no new proof. */
    int half;

    /** Whether the chain {@link #proves} last judged was proven by its first packet, a heap event, alone. */
    boolean alone;

    /** Points of the packet {@link #end} last judged: a heap event 4, a sync with TRACE_START {@link #PROOF}, others 1. */
    int points;

    /**
     * Whether the last verdict of {@link #proves}, {@link #resync} or {@link #strongStart} rested on the end of data
     * that is not the end of the stream: more data may overturn it.
     */
    boolean undecided;

    /**
     * The end of a well-formed, plausible packet starting at {@code at}, {@link #BAD}, or {@link #CUT} when the data
     * ({@code b} up to {@code limit}) ends inside it.
     */
    int end(byte[] b, int at, int limit) {
        points = 1;
        int p = at;
        if (p >= limit) {
            return CUT;
        }
        int b0 = b[p++] & 0xFF;
        if (b0 == 0) { // the sync: ten zeros, then TRACE_START, as the device sends on every start
            int zeros = 1;
            while (p < limit && b[p] == 0) {
                p++;
                zeros++;
            }
            if (p == limit) {
                return CUT;
            }
            if (zeros < SvStream.SYNC_LEN || b[p] != SvIds.TRACE_START) {
                return BAD;
            }
            points = PROOF;
            return p;
        }
        int id = b0;
        if ((b0 & 0x80) != 0) {
            if (p >= limit) {
                return CUT;
            }
            int b1 = b[p++] & 0xFF;
            if (b1 == 0 || (b1 & 0x80) != 0) {
                return BAD; // an id below 128 in two bytes, or longer than two
            }
            id = (b1 << 7) | (b0 & 0x7F);
        }
        if (id < SvIds.FIRST_WITH_LENGTH) {
            p = shortPayload(b, id, p, limit);
        } else {
            p = lengthPayload(b, id, p, limit);
        }
        if (p < 0) {
            return p;
        }
        return varint(b, p, limit); // the timestamp delta
    }

    /** The end of the payload of an id below 24, laid out as the id implies. */
    private int shortPayload(byte[] b, int id, int p, int limit) {
        return switch (id) {
            case SvIds.OVERFLOW -> positive(b, p, limit);
            case SvIds.ISR_ENTER -> bounded(b, p, limit, MAX_IRQ);
            case SvIds.ISR_EXIT, SvIds.ISR_TO_SCHEDULER, SvIds.TASK_STOP_EXEC, SvIds.TRACE_START, SvIds.TRACE_STOP, SvIds.IDLE,
                 SvIds.TIMER_EXIT -> p;
            case SvIds.TASK_START_EXEC, SvIds.TASK_START_READY, SvIds.TASK_CREATE, SvIds.SYSTIME_CYCLES, SvIds.USER_START,
                 SvIds.USER_STOP, SvIds.TIMER_ENTER -> varint(b, p, limit);
            case SvIds.TASK_STOP_READY, SvIds.SYSTIME_US -> varints(b, p, limit, 2);
            case SvIds.STACK_INFO -> varints(b, p, limit, 4);
            case SvIds.TASK_INFO -> text(b, varints(b, p, limit, 2), limit);
            case SvIds.SYSDESC -> text(b, p, limit);
            case SvIds.MODULEDESC -> text(b, varints(b, p, limit, 2), limit);
            default -> BAD; // NOP outside the sync, DATA_SAMPLE: ESP-IDF sends neither
        };
    }

    /** The end of the payload of an id from 24 on: its length, then varints that fill it exactly. */
    private int lengthPayload(byte[] b, int id, int p, int limit) {
        if (p >= limit) {
            return CUT;
        }
        int plen = b[p++] & 0xFF;
        if ((plen & 0x80) != 0) {
            if (p >= limit) {
                return CUT;
            }
            plen = ((b[p++] & 0xFF) << 7) | (plen & 0x7F);
        }
        if (plen > MAX_PLEN) {
            return BAD;
        }
        int to = p + plen;
        if (to > limit) {
            return CUT;
        }
        if (id == SvIds.PRINT_FORMATTED) {
            int s = text(b, p, to);
            return s < 0 || count(b, s, to) < 0 ? BAD : to;
        }
        if (!sent(id)) {
            return BAD;
        }
        int n = count(b, p, to);
        if (n < 0) {
            return BAD;
        }
        if (id >= SvIds.FIRST_MODULE_EVENT) {
            return module(b, id, p, to, n) ? to : BAD;
        }
        return switch (id) {
            case SvIds.INIT -> n == 4 ? to : BAD;
            case SvIds.NUMMODULES -> n == 1 ? to : BAD;
            case SvIds.NAME_RESOURCE -> to;
            default -> n <= MAX_OS_PARAMS ? to : BAD;
        };
    }

    /** Whether ESP-IDF sends events of this id (from 24 on): SystemView's own, the FreeRTOS ones, heap and function trace. */
    private static boolean sent(int id) {
        return id <= SvIds.NUMMODULES || id >= FIRST_OS_EVENT && id <= LAST_LOW_OS_EVENT || id >= FIRST_HIGH_OS_EVENT && id <= MAX_OS_EVENT
                || id >= SvIds.FIRST_MODULE_EVENT && id < SvIds.FIRST_MODULE_EVENT + 4;
    }

    /** A module event: a heap event as {@link #heap} judges it, or function trace's {@code func, call_site}. */
    private boolean module(byte[] b, int id, int from, int to, int n) {
        if (heapOffset < 0) {
            boolean heap = heap(b, from, to, (id & 1) == 0);
            points = heap ? HEAP_POINTS : 1;
            return heap || n == 2 && code(first(b, from, to, 0)) && code(first(b, from, to, 1));
        }
        if (id == heapOffset || id == heapOffset + 1) {
            points = HEAP_POINTS;
            return heap(b, from, to, id == heapOffset);
        }
        return heapOffset == SvIds.HEAP_EVENTS_AFTER_FUNCTION_TRACE && id < heapOffset && n == 2
                && code(first(b, from, to, 0)) && code(first(b, from, to, 1));
    }

    /**
     * Whether the payload decodes as one of the heap module's events: the block's address in RAM (or 0), for an
     * allocation a plausible size, then the caller slots, each 0 or an address in code, as many as every other heap
     * event of the stream carries.
     */
    boolean heap(byte[] b, int from, int to, boolean alloc) {
        int n = decode(b, from, to);
        int fixed = alloc ? 2 : 1;
        int callers = n - fixed;
        if (callers < 0 || slots >= 0 && callers != slots) {
            return false;
        }
        long address = values[0];
        if (address != 0 && !heapAddress(address) || alloc && values[1] > MAX_BLOCK) {
            return false;
        }
        for (int i = fixed; i < n; i++) {
            if (values[i] != 0 && !code(values[i])) {
                return false;
            }
        }
        return true;
    }

    /** Caller slots of a heap event's payload, -1 when it has too many fields. */
    int callerSlots(byte[] b, int from, int to, boolean alloc) {
        int n = decode(b, from, to);
        return n < 0 ? -1 : n - (alloc ? 2 : 1);
    }

    /**
     * The first position at or after {@code from} (and before {@code limit}) whose chain of packets proves it a packet
     * start, or -1. {@code eof}: the data ends at {@code limit}, so a chain that reaches it with fewer points (at
     * least 2) still counts.
     */
    int resync(byte[] b, int from, int limit, boolean eof) {
        int q = from;
        while (q < limit && !proves(b, q, limit, eof, 2)) {
            q++;
        }
        if (q == limit) {
            undecided = !eof;
            return -1;
        }
        boolean tentative = undecided;
        // A false start's first packet can swallow real ones (a cut-off string read as an event whose length covers
        // them): unless it is a heap event or a sync, which random bytes hardly ever pass for, a start proven inside
        // it wins.
        int e = end(b, q, limit);
        for (int r = q + 1; r < e && points < HEAP_POINTS; r++) {
            if (proves(b, r, limit, eof, 2)) {
                q = r;
                tentative = undecided;
                e = end(b, q, limit);
            }
        }
        undecided = tentative || e == CUT && !eof; // a start inside the rest of that packet would win
        return q;
    }

    /**
     * Whether the packets from {@code at} on are each well-formed and plausible until they earn {@link #PROOF}
     * points, or until the data ends (with at least {@code minAtEnd} points, where {@code eof}; at the end of a
     * window that is not the end of the data the chain cannot be judged and counts as proven); or whether the first
     * is a heap event with the stream's number of caller slots, whatever follows it.
     */
    boolean proves(byte[] b, int at, int limit, boolean eof, int minAtEnd) {
        int total = 0;
        int p = at;
        half = -1;
        boolean heapFirst = false;
        alone = false;
        undecided = false;
        while (total < PROOF) {
            if (p == limit) {
                break;
            }
            int e = end(b, p, limit);
            if (e == BAD) {
                // a heap event, checked against the stream's caller slots, proves itself: one between two losses is kept
                if (heapFirst) {
                    half = p;
                    alone = total < PROOF;
                }
                return heapFirst;
            }
            if (p == at) {
                heapFirst = points == HEAP_POINTS && slots >= 0;
            }
            if (e == CUT) {
                break;
            }
            total += points;
            p = e;
            if (half < 0 && total >= PROOF / 2) {
                half = p;
            }
        }
        if (half < 0) {
            half = p;
        }
        undecided = total < PROOF && !eof;
        return total >= PROOF || !eof || total >= minAtEnd;
    }

    /**
     * The first position in {@code [from, to)} where a heap event or a sync starts and proves its chain, or -1: inside
     * a packet, the sign that the packet was cut there.
     */
    int strongStart(byte[] b, int from, int to, int limit, boolean eof) {
        boolean cut = false;
        for (int r = from; r < to; r++) {
            int e = end(b, r, limit);
            cut |= e == CUT;
            if (e >= 0 && points >= HEAP_POINTS && proves(b, r, limit, eof, 2)) {
                undecided |= cut && !eof;
                return r;
            }
        }
        undecided = cut && !eof;
        return -1;
    }

    /**
     * Whether a heap block can be at {@code address}: the data windows of the ESP32 family's RAM (internal, PSRAM, RTC,
     * TCM, with their aliases), wider than any one chip's RAM so that no detail of a memory map rejects a real pointer.
     */
    private static boolean heapAddress(long address) {
        for (long[] w : HEAP_WINDOWS) {
            if (address >= w[0] && address < w[1]) {
                return true;
            }
        }
        return false;
    }

    /** Whether a caller can be at {@code address}: code (or ROM) of some ESP32 chip. */
    private static boolean code(long address) {
        for (Chip c : Chip.values()) {
            Region r = c.codeRegion(address);
            if (r == Region.IRAM || r == Region.FLASH_CODE || r == Region.ROM || r == Region.RTC || r == Region.TCM) {
                return true;
            }
        }
        return false;
    }

    /** Decodes the payload's varints into {@link #values}; -1 when there are more than a heap event has. */
    private int decode(byte[] b, int from, int to) {
        int n = 0;
        int p = from;
        while (p < to) {
            if (n == values.length) {
                return -1;
            }
            long v = 0;
            int shift = 0;
            int x;
            do {
                x = b[p++];
                v |= (long) (x & 0x7F) << shift;
                shift += 7;
            } while (x < 0 && p < to);
            values[n++] = v & 0xFFFFFFFFL;
        }
        return n;
    }

    /** The {@code index}-th varint of a payload already known to be whole varints. */
    private static long first(byte[] b, int from, int to, int index) {
        int p = from;
        for (int i = 0; i < index; i++) {
            while (b[p++] < 0) {
                // skip a varint
            }
        }
        long v = 0;
        int shift = 0;
        int x;
        do {
            x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            shift += 7;
        } while (x < 0 && p < to);
        return v & 0xFFFFFFFFL;
    }

    /** How many varints fill {@code [from, to)} exactly (each at most 5 bytes, 32 bits), -1 if they do not. */
    private static int count(byte[] b, int from, int to) {
        int n = 0;
        int p = from;
        while (p < to) {
            int e = varint(b, p, to);
            if (e < 0) {
                return -1;
            }
            p = e;
            n++;
        }
        return n;
    }

    /** The end of a SEGGER varint of at most 32 bits, {@link #CUT} or {@link #BAD}. */
    private static int varint(byte[] b, int p, int limit) {
        if (p < 0) {
            return p;
        }
        for (int i = 0; i < 5; i++) {
            if (p >= limit) {
                return CUT;
            }
            int x = b[p++];
            if (x >= 0) {
                return i == 4 && x > 0x0F ? BAD : p;
            }
        }
        return BAD;
    }

    private static int varints(byte[] b, int p, int limit, int n) {
        for (int i = 0; i < n && p >= 0; i++) {
            p = varint(b, p, limit);
        }
        return p;
    }

    /** A count the device sends only when it is at least 1. */
    private static int positive(byte[] b, int p, int limit) {
        return p < limit && b[p] == 0 ? BAD : varint(b, p, limit);
    }

    private static int bounded(byte[] b, int p, int limit, long max) {
        int e = varint(b, p, limit);
        return e >= 0 && first(b, p, e, 0) > max ? BAD : e;
    }

    /** A string the firmware names things with: its length byte, then printable text. */
    private static int text(byte[] b, int p, int limit) {
        if (p < 0) {
            return p;
        }
        if (p >= limit) {
            return CUT;
        }
        int n = b[p++] & 0xFF;
        if (n == 0xFF) {
            return BAD; // longer than 254 bytes: no name or message on these links is
        }
        if (p + n > limit) {
            return CUT;
        }
        for (int i = p; i < p + n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7F) {
                return BAD;
            }
        }
        return p + n;
    }
}
