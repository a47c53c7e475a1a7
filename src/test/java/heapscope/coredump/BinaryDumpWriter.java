package heapscope.coredump;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes the legacy binary core dump format (version 0.3: header with segment count and chip revision, then per task
 * its header, TCB and stack, then the CRC32), from the TCB and stack segments of a decoded ELF-format dump: the same
 * tasks in the other format, so the two decodings can be compared.
 */
final class BinaryDumpWriter {
    private BinaryDumpWriter() {
    }

    /** {@code segments} in pairs: each task's TCB, then its stack (starting at the saved stack pointer). */
    static byte[] write(int chip, int tcbSize, List<Segment> segments) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i + 1 < segments.size(); i += 2) {
            Segment tcb = segments.get(i);
            Segment stack = segments.get(i + 1);
            word(body, tcb.address());
            word(body, stack.address());
            word(body, stack.end());
            body.writeBytes(Arrays.copyOf(tcb.data(), tcbSize));
            body.writeBytes(stack.data());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int total = 24 + body.size() + 4;
        word(out, total);
        word(out, (long) chip << 16 | 0x0003);
        word(out, segments.size() / 2);
        word(out, tcbSize);
        word(out, 0); // no extra memory segments
        word(out, 3); // chip revision
        out.writeBytes(body.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(out.toByteArray());
        word(out, crc.getValue());
        return out.toByteArray();
    }

    static void word(ByteArrayOutputStream b, long v) {
        for (int i = 0; i < 4; i++) {
            b.write((int) (v >>> (8 * i)));
        }
    }
}
