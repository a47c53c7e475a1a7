package heapscope.sysview;

import heapscope.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a capture is cut: after the device's last TRACE_STOP packet, found by the framing, not by its byte value. */
class RawStopTest {
    private static final Path[] HEAP_LOG = {Fixtures.corpus("esp-idf-sysview/heap_log0.svdat"), Fixtures.corpus("esp-idf-sysview/heap_log1.svdat")};

    @Test
    void theCutFollowsTheLastStopPacketNotAStopByteInsideAnother() throws IOException {
        byte[] stream = UartStreams.of(HEAP_LOG).bytes();
        long stopBytes = 0;
        for (byte b : stream) {
            stopBytes += b == SvIds.TRACE_STOP ? 1 : 0;
        }
        assertThat(stopBytes).as("0x0B occurs inside packets of the recording").isPositive();
        assertThat(RawStop.endOfLast(stream, stream.length)).as("the recording's own TRACE_STOP, its last packet").isEqualTo(stream.length);
        int stopAt = stream.length - 2;
        assertThat(RawStop.endOfLast(stream, stopAt)).as("without it, none").isEqualTo(-1);

        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(stream);
        b.write(new byte[] {SvIds.TRACE_STOP, 0x05}); // TRACE_STOP, delta 5
        int end = b.size();
        b.write("ets Jun  8 2016 00:22:57\r\n\u000b\u000b rst:0x1\r\n".getBytes(StandardCharsets.ISO_8859_1)); // a banner with 0x0B in it
        byte[] all = b.toByteArray();
        assertThat(RawStop.endOfLast(all, all.length)).isEqualTo(end);
        // the tail of a long capture, beginning inside a packet
        byte[] tail = Arrays.copyOfRange(all, 1001, all.length);
        assertThat(RawStop.endOfLast(tail, tail.length)).isEqualTo(end - 1001);
    }
}
