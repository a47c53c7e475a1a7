package heapscope.elf;

/** One note record: owner name (e.g. "GNU", "Xtensa_Info"), type and raw descriptor bytes. */
public record ElfNote(String name, long type, byte[] descriptor) {
    public static final int NT_GNU_BUILD_ID = 3;

    public boolean isBuildId() {
        return type == NT_GNU_BUILD_ID && name.equals("GNU");
    }
}
