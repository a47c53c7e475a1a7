package heapscope.coredump;

/**
 * One block of target memory saved in the dump (a TCB, a stack, or a region the firmware chose to save).
 *
 * @param flags ELF segment flags (PF_R 4, PF_W 2, PF_X 1)
 */
public record Segment(long address, byte[] data, int flags) {
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public long end() {
        return address + data.length;
    }

    public boolean contains(long addr, int length) {
        return addr >= address && addr + length <= end();
    }

    /** "RW " as espcoredump prints segment attributes. */
    public String attributes() {
        return ((flags & PF_R) != 0 ? "R" : " ") + ((flags & PF_W) != 0 ? "W" : " ") + ((flags & PF_X) != 0 ? "E" : " ");
    }
}
