package heapscope.dwarf;

import heapscope.elf.ByteCursor;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;

import java.nio.ByteOrder;
import java.nio.file.Path;

/** The DWARF sections of one ELF file, copied into arrays; a missing section is an empty one. */
public record DwarfSections(Path file, Part info, Part abbrev, Part str, Part lineStr, Part strOffsets,
                            Part addr, Part line, Part ranges, Part rnglists) {

    /** One section's bytes and the file offset they start at (for error messages). */
    public record Part(byte[] data, long fileOffset, ByteOrder order) {
        ByteCursor cursor(Path file) {
            return new ByteCursor(file, data, 0, data.length, order, fileOffset);
        }

        int size() {
            return data.length;
        }
    }

    public static DwarfSections of(ElfFile elf) {
        return new DwarfSections(elf.path(), part(elf, ".debug_info"), part(elf, ".debug_abbrev"),
                part(elf, ".debug_str"), part(elf, ".debug_line_str"), part(elf, ".debug_str_offsets"),
                part(elf, ".debug_addr"), part(elf, ".debug_line"), part(elf, ".debug_ranges"),
                part(elf, ".debug_rnglists"));
    }

    private static Part part(ElfFile elf, String name) {
        ElfSection s = elf.section(name).orElse(null);
        if (s == null) {
            return new Part(new byte[0], 0, elf.byteOrder());
        }
        return new Part(elf.bytes(s), s.offset(), elf.byteOrder());
    }

    public boolean hasInfo() {
        return info.size() > 0;
    }
}
