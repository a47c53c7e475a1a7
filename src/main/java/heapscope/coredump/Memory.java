package heapscope.coredump;

import java.util.List;

/** Target memory as the dump holds it: little-endian words read by address, absent where nothing was saved. */
public final class Memory {
    private final List<Segment> segments;

    public Memory(List<Segment> segments) {
        this.segments = segments;
    }

    /** The saved blocks, in the dump's order. */
    public List<Segment> segments() {
        return segments;
    }

    /** True if {@code length} bytes at {@code address} were saved. */
    public boolean has(long address, int length) {
        return segment(address, length) != null;
    }

    /** The 32-bit word at {@code address}, or -1 when those bytes are not in the dump. */
    public long u32(long address) {
        Segment s = segment(address, 4);
        if (s == null) {
            return -1;
        }
        return le32(s.data(), (int) (address - s.address()));
    }

    /** The unsigned little-endian word at {@code i} of {@code b}. */
    static long le32(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    /** {@code length} bytes at {@code address}, or null when not all of them were saved. */
    public byte[] bytes(long address, int length) {
        Segment s = segment(address, length);
        if (s == null) {
            return null;
        }
        byte[] out = new byte[length];
        System.arraycopy(s.data(), (int) (address - s.address()), out, 0, length);
        return out;
    }

    private Segment segment(long address, int length) {
        for (Segment s : segments) {
            if (s.contains(address, length)) {
                return s;
            }
        }
        return null;
    }
}
