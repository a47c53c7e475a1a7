package heapscope.elf;

/** One section header, name resolved. Addresses and sizes are unsigned values held in longs. */
public record ElfSection(int index, String name, int type, long flags, long address, long offset, long size,
                         int link, int info, long entrySize) {
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_DYNSYM = 11;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_COMPRESSED = 0x800;

    public boolean isAllocated() {
        return (flags & SHF_ALLOC) != 0;
    }

    public boolean isExecutable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    /** True if the section occupies {@code address} in the target's address space. */
    public boolean containsAddress(long address) {
        return isAllocated() && Long.compareUnsigned(address, this.address) >= 0
                && Long.compareUnsigned(address - this.address, size) < 0;
    }
}
