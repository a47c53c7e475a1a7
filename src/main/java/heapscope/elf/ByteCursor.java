package heapscope.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bounds-checked sequential reader over a region of a mapped file. Every read past the region's end
 * throws {@link ElfFormatException} with the absolute file offset, so malformed input can neither
 * crash with an index error nor make a caller loop or allocate on a bogus length.
 */
public final class ByteCursor {
    private final Path file;
    private final byte[] data;
    private final int start;
    private final int limit;
    private final boolean littleEndian;
    private final long fileBase;
    private int pos;

    /**
     * A cursor over {@code data[start, start + length)}. Reads go straight to the array: decoding
     * tens of MB of DWARF is dominated by single-byte reads, and an array index is the cheapest
     * form of them, interpreted or compiled.
     *
     * @param fileBase absolute file offset of {@code data[start]}, for error messages
     */
    public ByteCursor(Path file, byte[] data, int start, int length, ByteOrder order, long fileBase) {
        if (start < 0 || length < 0 || start > data.length - length) {
            throw new IllegalArgumentException("region outside array");
        }
        this.file = file;
        this.data = data;
        this.start = start;
        this.limit = length;
        this.littleEndian = order == ByteOrder.LITTLE_ENDIAN;
        this.fileBase = fileBase;
    }

    /** A cursor over a copy of {@code buf}'s contents (positions 0..limit), in the buffer's byte order. */
    public ByteCursor(Path file, ByteBuffer buf, long fileBase) {
        this(file, copy(buf), 0, buf.limit(), buf.order(), fileBase);
    }

    private static byte[] copy(ByteBuffer buf) {
        byte[] b = new byte[buf.limit()];
        buf.get(0, b);
        return b;
    }

    public int position() {
        return pos;
    }

    public int limit() {
        return limit;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public Path file() {
        return file;
    }

    public long fileBase() {
        return fileBase;
    }

    public void seek(long position) {
        if (position < 0 || position > limit) {
            throw error("offset " + position + " outside region of " + limit + " bytes");
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
        ByteCursor c = new ByteCursor(file, data, start + pos, (int) length,
                littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, fileBase + pos);
        pos += (int) length;
        return c;
    }

    public ElfFormatException error(String message) {
        return new ElfFormatException(file, fileBase + pos, message);
    }

    private void need(int n) {
        if (limit - pos < n) {
            throw error("truncated: need " + n + " bytes, " + (limit - pos) + " left");
        }
    }

    public int u8() {
        if (pos >= limit) {
            need(1);
        }
        return data[start + pos++] & 0xff;
    }

    public int u16() {
        need(2);
        int i = start + pos;
        pos += 2;
        int a = data[i] & 0xff;
        int b = data[i + 1] & 0xff;
        return littleEndian ? a | b << 8 : a << 8 | b;
    }

    public int u24() {
        need(3);
        int i = start + pos;
        pos += 3;
        int a = data[i] & 0xff;
        int b = data[i + 1] & 0xff;
        int c = data[i + 2] & 0xff;
        return littleEndian ? a | b << 8 | c << 16 : a << 16 | b << 8 | c;
    }

    public long u32() {
        need(4);
        int i = start + pos;
        pos += 4;
        return int32(i) & 0xffffffffL;
    }

    private int int32(int i) {
        int a = data[i] & 0xff;
        int b = data[i + 1] & 0xff;
        int c = data[i + 2] & 0xff;
        int d = data[i + 3] & 0xff;
        return littleEndian ? a | b << 8 | c << 16 | d << 24 : a << 24 | b << 16 | c << 8 | d;
    }

    public long u64() {
        need(8);
        int i = start + pos;
        pos += 8;
        long lo = int32(i) & 0xffffffffL;
        long hi = int32(i + 4) & 0xffffffffL;
        return littleEndian ? lo | hi << 32 : lo << 32 | hi;
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
        int i = start + pos;
        int end = start + limit;
        if (i < end && data[i] >= 0) { // one-byte values are by far the most common
            pos++;
            return data[i];
        }
        long result = 0;
        int shift = 0;
        while (true) {
            if (i >= end) {
                pos = i - start;
                need(1);
            }
            int b = data[i++];
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                pos = i - start;
                return result;
            }
        }
    }

    public long sleb() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            if (pos >= limit) {
                need(1);
            }
            b = data[start + pos++];
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
            if (pos >= limit) {
                need(1);
            }
            if ((data[start + pos++] & 0x80) == 0) {
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
        if (position < 0 || position >= limit) {
            throw error("string offset " + position + " outside region of " + limit + " bytes");
        }
        int from = (int) position;
        return decode(from, indexOfNul(from));
    }

    private int indexOfNul(int from) {
        for (int i = start + from, end = start + limit; i < end; i++) {
            if (data[i] == 0) {
                return i - start;
            }
        }
        throw new ElfFormatException(file, fileBase + from, "unterminated string");
    }

    private String decode(int from, int end) {
        return new String(data, start + from, end - from, StandardCharsets.UTF_8);
    }

    public byte[] bytes(long n) {
        if (n < 0 || n > remaining()) {
            throw error("length " + n + " exceeds the " + remaining() + " bytes left");
        }
        byte[] b = Arrays.copyOfRange(data, start + pos, start + pos + (int) n);
        pos += (int) n;
        return b;
    }
}
