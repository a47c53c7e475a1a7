package heapscope.sysview;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-side packet splitter for one per-core SystemView file, written independently of the decoder from
 * SEGGER's packet grammar, so layout conversions and damage tests do not trust the code they test.
 */
final class RawPackets {
    /** Field layout of ids 0..22: u = varint, s = string. */
    private static final String[] SHORT = {"", "u", "u", "", "u", "", "u", "uu", "u", "uus", "", "", "u", "uu", "s", "u", "u", "", "", "u", "", "uuuu", "uus"};

    /** One packet: {@code body} = everything between id (and plen) and the delta; {@code ticks} = absolute time. */
    record Packet(int id, byte[] body, long delta, long ticks, int start, int end) {
    }

    static int headerLength(byte[] file) {
        int semis = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n' && i >= 1 && file[i - 1] == ';' && (i == 1 || file[i - 2] == '\n')) {
                if (++semis == 2) {
                    return i + 1;
                }
            }
        }
        throw new IllegalArgumentException("no header");
    }

    static List<Packet> split(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return split(b, headerLength(b) + 10, b.length);
    }

    static List<Packet> split(byte[] b, int from, int to) {
        List<Packet> out = new ArrayList<>();
        int[] p = {from};
        long ticks = 0;
        while (p[0] < to) {
            int start = p[0];
            int b0 = b[p[0]++] & 0xFF;
            int id = b0;
            if ((b0 & 0x80) != 0) {
                id = ((b[p[0]++] & 0xFF) << 7) | (b0 & 0x7F);
            }
            int bodyStart;
            int bodyEnd;
            if (id >= 24) {
                int plen = b[p[0]++] & 0xFF;
                if ((plen & 0x80) != 0) {
                    plen = ((b[p[0]++] & 0xFF) << 7) | (plen & 0x7F);
                }
                bodyStart = p[0];
                bodyEnd = bodyStart + plen;
                p[0] = bodyEnd;
            } else {
                bodyStart = p[0];
                for (char f : SHORT[id].toCharArray()) {
                    if (f == 'u') {
                        varint(b, p);
                    } else {
                        int n = b[p[0]++] & 0xFF;
                        p[0] += n;
                    }
                }
                bodyEnd = p[0];
            }
            long delta = varint(b, p);
            ticks = id == 10 ? 0 : ticks + delta;
            out.add(new Packet(id, Arrays.copyOfRange(b, bodyStart, bodyEnd), delta, ticks, start, p[0]));
        }
        return out;
    }

    static long varint(byte[] b, int[] p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[p[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                return v;
            }
        }
    }
}
