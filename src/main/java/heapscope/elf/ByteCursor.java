package heapscope.elf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Bounds-checked sequential reader over a region of a mapped file. Every read past the region's end
 * throws {@link ElfFormatException} with the absolute file offset, so malformed input can neither
 * crash with an index error nor make a caller loop or allocate on a bogus length.
 */
public final class ByteCursor {
    private final Path file;
    private final ByteBuffer buf;
    private final long fileBase;
    private int pos;

    /**
     * @param buf      region to read, positions 0..limit, byte order already set
     * @param fileBase absolute file offset of {@code buf} position 0, for error messages
     */
    public ByteCursor(Path file, ByteBuffer buf, long fileBase) {
        this.file = file;
        this.buf = buf;
        this.fileBase = fileBase;
    }

    public ByteCursor(Path file, ByteBuffer buf, long fileBase, int position) {
        this(file, buf, fileBase);
        seek(position);
    }

    public int position() {
        return pos;
    }

    public int limit() {
        return buf.limit();
    }

    public int remaining() {
        return buf.limit() - pos;
    }

    public boolean hasRemaining() {
        return pos < buf.limit();
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public Path file() {
        return file;
    }

    public long fileBase() {
        return fileBase;
    }

    public void seek(long position) {
        if (position < 0 || position > buf.limit()) {
            throw error("offset " + position + " outside region of " + buf.limit() + " bytes");
        }
        pos = (int) position;
    }

    public void skip(long n) {
        if (n < 0 || n > remaining()) {
            throw error("cannot skip " + n + " bytes, " + remaining() + " left");
        }
        pos += (int) n;
    }

    /** A new cursor over the next {@code length} bytes; this cursor moves past them. */
    public ByteCursor split(long length) {
        if (length < 0 || length > remaining()) {
            throw error("length " + length + " exceeds the " + remaining() + " bytes left");
        }
        ByteBuffer sub = buf.slice(pos, (int) length).order(buf.order());
        ByteCursor c = new ByteCursor(file, sub, fileBase + pos);
        pos += (int) length;
        return c;
    }

    public ElfFormatException error(String message) {
        return new ElfFormatException(file, fileBase + pos, message);
    }

    private void need(int n) {
        if (buf.limit() - pos < n) {
            throw error("truncated: need " + n + " bytes, " + (buf.limit() - pos) + " left");
        }
    }

    public int u8() {
        need(1);
        return buf.get(pos++) & 0xff;
    }

    public int u16() {
        need(2);
        int v = buf.getShort(pos) & 0xffff;
        pos += 2;
        return v;
    }

    public int u24() {
        need(3);
        int a = buf.get(pos) & 0xff, b = buf.get(pos + 1) & 0xff, c = buf.get(pos + 2) & 0xff;
        pos += 3;
        return buf.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? a | b << 8 | c << 16 : a << 16 | b << 8 | c;
    }

    public long u32() {
        need(4);
        long v = buf.getInt(pos) & 0xffffffffL;
        pos += 4;
        return v;
    }

    public long u64() {
        need(8);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    /** Unsigned value of {@code size} bytes (1, 2, 4 or 8). */
    public long unsigned(int size) {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw error("unsupported field size " + size);
        };
    }

    /** A 4-byte offset, or 8 bytes in the 64-bit DWARF format. */
    public long offset(boolean dwarf64) {
        return dwarf64 ? u64() : u32();
    }

    public long uleb() {
        long result = 0;
        int shift = 0;
        while (true) {
            need(1);
            int b = buf.get(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    public long sleb() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            need(1);
            b = buf.get(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /** Skips a LEB128 value of either sign. */
    public void skipLeb() {
        while (true) {
            need(1);
            if ((buf.get(pos++) & 0x80) == 0) {
                return;
            }
        }
    }

    /** NUL-terminated string at the current position (UTF-8). */
    public String cstring() {
        int end = indexOfNul(pos);
        String s = decode(pos, end);
        pos = end + 1;
        return s;
    }

    public void skipCstring() {
        pos = indexOfNul(pos) + 1;
    }

    /** NUL-terminated string at an absolute position of the region, without moving the cursor. */
    public String cstringAt(long position) {
        if (position < 0 || position >= buf.limit()) {
            throw error("string offset " + position + " outside region of " + buf.limit() + " bytes");
        }
        int start = (int) position;
        return decode(start, indexOfNul(start));
    }

    private int indexOfNul(int from) {
        int limit = buf.limit();
        for (int i = from; i < limit; i++) {
            if (buf.get(i) == 0) {
                return i;
            }
        }
        throw new ElfFormatException(file, fileBase + from, "unterminated string");
    }

    private String decode(int start, int end) {
        byte[] bytes = new byte[end - start];
        buf.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public byte[] bytes(long n) {
        if (n < 0 || n > remaining()) {
            throw error("length " + n + " exceeds the " + remaining() + " bytes left");
        }
        byte[] b = new byte[(int) n];
        buf.get(pos, b);
        pos += (int) n;
        return b;
    }
}
