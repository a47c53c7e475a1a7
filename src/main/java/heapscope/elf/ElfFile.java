package heapscope.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * An ELF32 or ELF64 file of either byte order, memory-mapped. Parses the headers eagerly (they are
 * small) and everything else on request. Every length and offset read from the file is checked
 * against the file size before it is used.
 */
public final class ElfFile {
    public static final int EM_XTENSA = 94;
    public static final int EM_RISCV = 243;

    private static final int ELFCLASS32 = 1;
    private static final int ELFCLASS64 = 2;
    /** Largest expansion zlib can achieve; bounds the buffer for a compressed section. */
    private static final long MAX_ZLIB_RATIO = 1032;
    /**
     * Compressed sections together inflate to at most this many times the file's size (zlib packs DWARF 3 to 6
     * times): a small crafted file cannot make the reader allocate gigabytes.
     */
    public static final int MAX_INFLATED_RATIO = 32;

    private final Path path;
    private final ByteBuffer data;
    private final boolean elf64;
    private final int type;
    private final int machine;
    private final long entry;
    private final long flags;
    private final List<ElfSection> sections;
    private final List<ElfProgramHeader> programHeaders;
    /** Where the section header table starts and its entry size: errors about a section point at its header. */
    private final long shoff;
    private final int shentsize;

    private ElfFile(Path path, ByteBuffer data) {
        this.path = path;
        if (data.limit() < 16 || data.getInt(0) != 0x7f454c46) {
            throw new ElfFormatException(path, 0, "not an ELF file (bad magic)");
        }
        int cls = data.get(4);
        int enc = data.get(5);
        if (cls != ELFCLASS32 && cls != ELFCLASS64) {
            throw new ElfFormatException(path, 4, "unknown ELF class " + cls);
        }
        if (enc != 1 && enc != 2) {
            throw new ElfFormatException(path, 5, "unknown ELF data encoding " + enc);
        }
        data.order(enc == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        this.data = data;
        this.elf64 = cls == ELFCLASS64;
        ByteCursor c = region(0, Math.min(data.limit(), 64));
        c.seek(16);
        type = c.u16();
        machine = c.u16();
        c.u32(); // e_version
        entry = word(c);
        long phoff = word(c);
        shoff = word(c);
        flags = c.u32();
        c.u16(); // e_ehsize
        int phentsize = c.u16();
        int phnum = c.u16();
        shentsize = c.u16();
        int shnum = c.u16();
        int shstrndx = c.u16();
        sections = readSections(shoff, shentsize, shnum, shstrndx);
        programHeaders = readProgramHeaders(phoff, phentsize, phnum);
    }

    /** Maps and parses {@code path}. */
    public static ElfFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(path, 0, "file larger than 2 GiB is not supported");
            }
            if (size > READ_LIMIT) {
                return new ElfFile(path, ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
            }
            // A JVM's first mapping costs about 30 ms (the buffer is made by reflection through method handles that
            // are spun then), a third of `symbolize`'s whole run; reading a firmware-sized file costs a few.
            ByteBuffer image = ByteBuffer.allocate((int) size);
            while (image.hasRemaining() && ch.read(image) >= 0) {
                // until the end, or the file shrank while read: then the shorter image is what there is
            }
            return new ElfFile(path, image.flip());
        }
    }

    /** Larger files are mapped, not read: DWARF of tens of megabytes of which a lookup touches a few pages. */
    private static final long READ_LIMIT = 16L << 20;

    /** Parses an ELF image already in memory; {@code name} is used in error messages. */
    public static ElfFile parse(Path name, ByteBuffer image) {
        return new ElfFile(name, image.slice());
    }

    private long word(ByteCursor c) {
        return elf64 ? c.u64() : c.u32();
    }

    /** A cursor over a copy of a checked region of the file; small regions only (headers, tables). */
    private ByteCursor region(long offset, long length) {
        checkRange(offset, length, offset, "region");
        byte[] b = new byte[(int) length];
        data.get((int) offset, b);
        return new ByteCursor(path, b, 0, b.length, data.order(), offset);
    }

    private List<ElfSection> readSections(long shoff, int shentsize, int shnum, int shstrndx) {
        if (shoff == 0) {
            return List.of();
        }
        int minSize = elf64 ? 64 : 40;
        if (shentsize < minSize) {
            throw new ElfFormatException(path, elf64 ? 58 : 46, "section header size " + shentsize + " too small");
        }
        checkRange(shoff, minSize, elf64 ? 40 : 32, "section header table");
        ByteCursor c = region(shoff, minSize);
        if (shnum == 0) { // more than 0xff00 sections: the real count is in section 0's size
            c.seek(elf64 ? 32 : 20);
            long n = word(c);
            if (n > Integer.MAX_VALUE) {
                throw new ElfFormatException(path, shoff, "section count " + n + " too large");
            }
            shnum = (int) n;
        }
        if (shstrndx == 0xffff) {
            c.seek(elf64 ? 40 : 24);
            shstrndx = (int) c.u32();
        }
        checkRange(shoff, (long) shnum * shentsize, elf64 ? 40 : 32, "section header table");
        c = region(shoff, (long) shnum * shentsize);
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            c.seek((long) i * shentsize);
            long name = c.u32();
            long stype = c.u32();
            long sflags = word(c);
            long addr = word(c);
            long off = word(c);
            long size = word(c);
            long link = c.u32();
            long info = c.u32();
            word(c); // alignment
            long entsize = word(c);
            raw[i] = new long[] {name, stype, sflags, addr, off, size, link, info, entsize};
        }
        ByteCursor names = null;
        if (shstrndx > 0 && shstrndx < shnum) {
            long[] s = raw[shstrndx];
            checkRange(s[4], s[5], shoff + (long) shstrndx * shentsize, "section name table");
            names = region(s[4], s[5]);
        }
        List<ElfSection> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long[] s = raw[i];
            String name = names == null || s[0] >= names.limit() ? "" : names.cstringAt(s[0]);
            out.add(new ElfSection(i, name, (int) s[1], s[2], s[3], s[4], s[5], (int) s[6], (int) s[7], s[8]));
        }
        return List.copyOf(out);
    }

    private List<ElfProgramHeader> readProgramHeaders(long phoff, int phentsize, int phnum) {
        if (phoff == 0 || phnum == 0) {
            return List.of();
        }
        int minSize = elf64 ? 56 : 32;
        if (phentsize < minSize) {
            throw new ElfFormatException(path, elf64 ? 54 : 42, "program header size " + phentsize + " too small");
        }
        checkRange(phoff, (long) phnum * phentsize, elf64 ? 32 : 28, "program header table");
        ByteCursor c = region(phoff, (long) phnum * phentsize);
        List<ElfProgramHeader> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            c.seek((long) i * phentsize);
            if (elf64) {
                int ptype = (int) c.u32();
                int pflags = (int) c.u32();
                out.add(new ElfProgramHeader(ptype, pflags, c.u64(), c.u64(), c.u64(), c.u64(), c.u64(), c.u64()));
            } else {
                int ptype = (int) c.u32();
                long off = c.u32(), va = c.u32(), pa = c.u32(), fsz = c.u32(), msz = c.u32();
                int pflags = (int) c.u32();
                out.add(new ElfProgramHeader(ptype, pflags, off, va, pa, fsz, msz, c.u32()));
            }
        }
        return List.copyOf(out);
    }

    private void checkRange(long offset, long length, long reportAt, String what) {
        if (offset < 0 || length < 0 || offset > data.limit() || length > data.limit() - offset) {
            throw new ElfFormatException(path, reportAt, what + " at offset " + offset + " with " + length
                    + " bytes lies outside the " + data.limit() + "-byte file");
        }
    }

    public Path path() {
        return path;
    }

    public boolean is64Bit() {
        return elf64;
    }

    public ByteOrder byteOrder() {
        return data.order();
    }

    public int type() {
        return type;
    }

    public int machine() {
        return machine;
    }

    public long entry() {
        return entry;
    }

    public long flags() {
        return flags;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public List<ElfProgramHeader> programHeaders() {
        return programHeaders;
    }

    public Optional<ElfSection> section(String name) {
        for (ElfSection s : sections) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Contents of a section, decompressed if it is SHF_COMPRESSED; empty for SHT_NOBITS. */
    public ByteBuffer contents(ElfSection s) {
        if (s.type() == ElfSection.SHT_NOBITS) {
            return ByteBuffer.allocate(0).order(data.order());
        }
        checkRange(s.offset(), s.size(), headerField(s, 16, 24), "contents of section " + s.name());
        ByteBuffer raw = data.slice((int) s.offset(), (int) s.size()).order(data.order());
        return (s.flags() & ElfSection.SHF_COMPRESSED) != 0 ? decompress(s, raw) : raw;
    }

    /**
     * The file offset of a field of section S's header (at FIELD32 in ELF32, FIELD64 in ELF64): a value that is
     * wrong in the header is reported where it is written.
     */
    private long headerField(ElfSection s, int field32, int field64) {
        return shoff + (long) s.index() * shentsize + (elf64 ? field64 : field32);
    }

    /** A cursor over (a copy of) a section's contents whose errors report absolute file offsets. */
    public ByteCursor cursor(ElfSection s) {
        byte[] b = bytes(s);
        return new ByteCursor(path, b, 0, b.length, data.order(), s.offset());
    }

    /** A copy of a section's contents, decompressed if needed: arrays are the fastest to decode. */
    public byte[] bytes(ElfSection s) {
        ByteBuffer b = contents(s);
        if (b.hasArray() && b.arrayOffset() == 0 && b.array().length == b.limit()) {
            return b.array();
        }
        byte[] out = new byte[b.limit()];
        b.get(0, out);
        return out;
    }

    /** A compression header (Elf_Chdr) and the cursor just after it, at the zlib stream. */
    private record Chdr(long type, long size, ByteCursor data) {
    }

    private Chdr chdr(ElfSection s, ByteBuffer raw) {
        ByteCursor c = new ByteCursor(path, raw, s.offset());
        long chType = c.u32();
        if (elf64) {
            c.u32(); // reserved
        }
        long size = elf64 ? c.u64() : c.u32();
        word(c); // alignment
        return new Chdr(chType, size, c);
    }

    /**
     * Refuses to inflate S when the compressed sections up to it (in section order, so the answer does not depend
     * on which was read first) claim more than {@link #MAX_INFLATED_RATIO} times the file's size together; the
     * headers give the sizes before anything is inflated.
     */
    private void checkInflatedTotal(ElfSection s) {
        long budget = (long) data.limit() * MAX_INFLATED_RATIO;
        long total = 0;
        for (ElfSection other : sections) {
            if (other.index() > s.index()) {
                break;
            }
            if ((other.flags() & ElfSection.SHF_COMPRESSED) == 0 || other.type() == ElfSection.SHT_NOBITS) {
                continue;
            }
            try {
                checkRange(other.offset(), other.size(), headerField(other, 16, 24), "contents of section " + other.name());
                total += Math.max(0, chdr(other, data.slice((int) other.offset(), (int) other.size()).order(data.order())).size());
            } catch (ElfFormatException unreadable) {
                continue; // reported when that section itself is read
            }
            if (total > budget) {
                throw new ElfFormatException(path, other.offset(), "section " + other.name() + " would inflate the compressed sections to " + total + " bytes, more than "
                        + MAX_INFLATED_RATIO + " times the file's " + data.limit() + " bytes; refusing to decompress it");
            }
        }
    }

    private ByteBuffer decompress(ElfSection s, ByteBuffer raw) {
        Chdr h = chdr(s, raw);
        ByteCursor c = h.data();
        long chType = h.type();
        long size = h.size();
        if (chType != 1) {
            throw c.error("section " + s.name() + " uses unsupported compression type " + chType);
        }
        if (size < 0 || size > Integer.MAX_VALUE - 16 || size > (long) c.remaining() * MAX_ZLIB_RATIO) {
            throw c.error("section " + s.name() + " claims an implausible uncompressed size " + size);
        }
        checkInflatedTotal(s);
        // Grow the output with the data actually inflated, not with the header's claim.
        byte[] out = new byte[(int) Math.min(size, Math.max(4096L, (long) c.remaining() * 8))];
        int n = 0;
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(raw.slice(c.position(), c.remaining()));
            while (!inflater.finished() && n <= size) {
                if (n == out.length) {
                    if (n == size) {
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(size, (long) n * 2));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != size || !inflater.finished()) {
                throw c.error("section " + s.name() + " inflated to " + n + " bytes, header says " + size);
            }
        } catch (DataFormatException e) {
            throw c.error("section " + s.name() + " has corrupt zlib data: " + e.getMessage());
        } finally {
            inflater.end();
        }
        return ByteBuffer.wrap(out).order(data.order());
    }

    /** The full symbol table (.symtab), or the dynamic one if the file is stripped. */
    public List<ElfSymbol> symbols() {
        ElfSection table = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                table = s;
                break;
            }
            if (s.type() == ElfSection.SHT_DYNSYM && table == null) {
                table = s;
            }
        }
        if (table == null) {
            return List.of();
        }
        int entSize = elf64 ? 24 : 16;
        if (table.entrySize() != 0 && table.entrySize() < entSize) {
            throw new ElfFormatException(path, headerField(table, 36, 56), "symbol entry size " + table.entrySize() + " too small");
        }
        int stride = table.entrySize() == 0 ? entSize : (int) Math.min(table.entrySize(), Integer.MAX_VALUE);
        ByteCursor c = cursor(table);
        ByteCursor names = table.link() > 0 && table.link() < sections.size() ? cursor(sections.get(table.link())) : null;
        int count = c.limit() / stride;
        List<ElfSymbol> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            c.seek((long) i * stride);
            long name;
            long value;
            long size;
            int info;
            int shndx;
            if (elf64) {
                name = c.u32();
                info = c.u8();
                c.u8();
                shndx = c.u16();
                value = c.u64();
                size = c.u64();
            } else {
                name = c.u32();
                value = c.u32();
                size = c.u32();
                info = c.u8();
                c.u8();
                shndx = c.u16();
            }
            String n = names == null || name >= names.limit() ? "" : names.cstringAt(name);
            out.add(new ElfSymbol(n, value, size, info & 0xf, info >>> 4, shndx));
        }
        return out;
    }

    /**
     * All notes from SHT_NOTE sections, or PT_NOTE segments when there are no section headers. A note
     * whose sizes do not fit ends that note area instead of failing: vendor notes such as Xtensa's
     * {@code .xtensa.info} are informational and must not make the file unreadable.
     */
    public List<ElfNote> notes() {
        List<ElfNote> out = new ArrayList<>();
        boolean any = false;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_NOTE && s.offset() >= 0 && s.size() <= data.limit() - s.offset()) {
                any = true;
                readNotes(region(s.offset(), s.size()), out);
            }
        }
        if (!any) {
            for (ElfProgramHeader p : programHeaders) {
                if (p.type() == ElfProgramHeader.PT_NOTE && p.offset() >= 0 && p.fileSize() <= data.limit() - p.offset()) {
                    readNotes(region(p.offset(), p.fileSize()), out);
                }
            }
        }
        return out;
    }

    private static void readNotes(ByteCursor c, List<ElfNote> out) {
        while (c.remaining() >= 12) {
            long namesz = c.u32();
            long descsz = c.u32();
            long ntype = c.u32();
            long nameSpan = align4(namesz);
            if (nameSpan > c.remaining() || descsz > c.remaining() - nameSpan) {
                return;
            }
            byte[] nameBytes = c.bytes(nameSpan);
            int len = 0;
            while (len < namesz && nameBytes[len] != 0) {
                len++;
            }
            String name = new String(nameBytes, 0, len, StandardCharsets.UTF_8);
            byte[] desc = c.bytes(descsz);
            out.add(new ElfNote(name, ntype, desc));
            c.skip(Math.min(align4(descsz) - descsz, c.remaining()));
        }
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }

    /** The GNU build id, when the linker wrote one. */
    public Optional<byte[]> buildId() {
        return notes().stream().filter(ElfNote::isBuildId).map(ElfNote::descriptor).findFirst();
    }

    /** True if {@code address} lies in a section loaded into the target (code or data). */
    public boolean containsAddress(long address) {
        for (ElfSection s : sections) {
            if (s.containsAddress(address)) {
                return true;
            }
        }
        return false;
    }
}
