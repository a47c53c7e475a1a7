package heapscope.export;

import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;

import java.util.HexFormat;

/**
 * The firmware image as a profile's mapping names it.
 *
 * @param file    the ELF's file name (no directories: the profile travels to other machines)
 * @param buildId the GNU build id in hex, "" when the linker wrote none
 * @param start   lowest address of its code
 * @param limit   end of its highest code section
 */
public record Binary(String file, String buildId, long start, long limit) {

    public static Binary of(ElfFile elf) {
        long start = -1;
        long limit = 0;
        for (ElfSection s : elf.sections()) {
            if (s.isAllocated() && s.isExecutable() && s.size() > 0) {
                start = start < 0 ? s.address() : Math.min(start, s.address());
                limit = Math.max(limit, s.address() + s.size());
            }
        }
        String buildId = elf.buildId().map(b -> HexFormat.of().formatHex(b)).orElse("");
        return new Binary(String.valueOf(elf.path().getFileName()), buildId, Math.max(start, 0), limit);
    }
}
