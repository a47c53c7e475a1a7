package heapscope.elf;

/** One program header (segment). */
public record ElfProgramHeader(int type, int flags, long offset, long virtualAddress, long physicalAddress,
                               long fileSize, long memorySize, long align) {
    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
}
