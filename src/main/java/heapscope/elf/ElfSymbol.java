package heapscope.elf;

/** One symbol table entry, name resolved. */
public record ElfSymbol(String name, long value, long size, int type, int binding, int sectionIndex) {
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STB_LOCAL = 0;
    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
}
