package heapscope.coredump;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;

import java.nio.ByteBuffer;

/** {@link Code} from the application ELF's executable sections and the chip's ROM range. */
public final class ElfCode implements Code {
    private final ElfFile elf;
    private final Chip chip;

    public ElfCode(ElfFile elf, Chip chip) {
        this.elf = elf;
        this.chip = chip;
    }

    @Override
    public boolean isCode(long address) {
        return section(address, 1) != null || chip != null && chip.codeRegion(address) == Region.ROM;
    }

    @Override
    public boolean hasBytes(long address, int length) {
        return section(address, length) != null;
    }

    @Override
    public int u16(long address) {
        ElfSection s = section(address, 2);
        ByteBuffer b = elf.contents(s);
        int i = (int) (address - s.address());
        return (b.get(i) & 0xff) | (b.get(i + 1) & 0xff) << 8;
    }

    private ElfSection section(long address, int length) {
        for (ElfSection s : elf.sections()) {
            if (s.isExecutable() && s.type() != ElfSection.SHT_NOBITS && s.containsAddress(address)
                    && s.containsAddress(address + length - 1)) {
                return s;
            }
        }
        return null;
    }
}
