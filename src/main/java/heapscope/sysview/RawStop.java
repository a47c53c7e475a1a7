package heapscope.sysview;

/**
 * Where a raw capture's trace ends: after the last TRACE_STOP packet the device sent when told to stop. What follows
 * is not the trace (a ROM banner on a shared UART, bytes of a reset), so a capture is cut there, as ESP-IDF's own
 * test reader cuts it. Packets are found as the decoder finds them ({@link RawFraming}), not by looking for the
 * byte {@code 0x0B}, which any varint can hold.
 */
public final class RawStop {
    private RawStop() {
    }

    /**
     * The end of the last TRACE_STOP packet in {@code b[0, limit)}, which may begin inside a packet (the tail of a
     * long capture), or -1 when it holds none.
     */
    public static int endOfLast(byte[] b, int limit) {
        RawFraming framing = new RawFraming();
        int last = -1;
        int p = framing.resync(b, 0, limit, true);
        while (p >= 0 && p < limit) {
            int e = framing.end(b, p, limit);
            if (e == RawFraming.CUT) {
                break;
            }
            if (e == RawFraming.BAD) {
                p = framing.resync(b, p + 1, limit, true);
                continue;
            }
            if ((b[p] & 0xFF) == SvIds.TRACE_STOP) {
                last = e;
            }
            p = e;
        }
        return last;
    }
}
