package heapscope.symbols;

import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the code of an ELF has a call instruction just before a return address, as the firmware that recorded the
 * address must have: an ELF of another build, at the same addresses, mostly has other instructions there.
 */
final class CallSites {
    private record Code(long address, ByteBuffer bytes) {
    }

    private final int machine;
    private final List<Code> code = new ArrayList<>();

    CallSites(ElfFile elf) {
        this.machine = elf.machine();
        if (known()) {
            for (ElfSection s : elf.sections()) {
                if (s.isAllocated() && s.isExecutable() && s.type() != ElfSection.SHT_NOBITS && s.size() > 0) {
                    code.add(new Code(s.address(), elf.contents(s)));
                }
            }
        }
    }

    /** Whether this is code {@link #followsCall} can read (RISC-V, Xtensa). */
    boolean known() {
        return machine == ElfFile.EM_RISCV || machine == ElfFile.EM_XTENSA;
    }

    /**
     * Whether the instruction ending at {@code returnAddress} is a call: RISC-V {@code jal}/{@code jalr} linking
     * {@code ra} (4 bytes) or {@code c.jal}/{@code c.jalr} (2 bytes); Xtensa {@code CALLn}/{@code CALLXn} (3 bytes).
     */
    boolean followsCall(long returnAddress) {
        if (machine == ElfFile.EM_RISCV) {
            int word = read(returnAddress - 4, 4);
            if (word != -1 && ((word & 0x7f) == 0x6f || (word & 0x707f) == 0x67) && (word >>> 7 & 0x1f) == 1) {
                return true;
            }
            int half = read(returnAddress - 2, 2);
            return half != -1 && ((half & 0xf07f) == 0x9002 && (half >>> 7 & 0x1f) != 0 || (half & 0xe003) == 0x2001);
        }
        int insn = read(returnAddress - 3, 3);
        if (insn == -1 || (insn >>> 4 & 3) == 0) {
            return false; // CALL0 has no window: not what a windowed-ABI backtrace records
        }
        return (insn & 0xf) == 5 || (insn & 0xcf) == 0xc0 && (insn & 0xfff000) == 0;
    }

    /** N little-endian bytes at ADDRESS, or -1 when they are not all in one code section. */
    private int read(long address, int n) {
        for (Code c : code) {
            long at = address - c.address();
            if (at >= 0 && at + n <= c.bytes().limit()) {
                int v = 0;
                for (int i = n - 1; i >= 0; i--) {
                    v = v << 8 | (c.bytes().get((int) at + i) & 0xff);
                }
                return v;
            }
        }
        return -1;
    }
}
