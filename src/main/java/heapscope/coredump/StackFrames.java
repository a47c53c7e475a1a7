package heapscope.coredump;

import java.util.List;

/**
 * The register frames the FreeRTOS ports save at a switched-out task's stack pointer, as the legacy binary dump
 * format leaves them for the reader to decode (the ELF format decodes them on the device).
 *
 * <p>Xtensa: the first word tells the frames apart. Non-zero (the exit address) is an exception frame
 * (XtExcFrame: exit, pc, ps, a0..a15, sar, exccause, excvaddr, lbeg, lend, lcount); zero is a solicited frame left
 * by a voluntary yield (exit, pc, ps, next, a0..a3). RISC-V: one frame, mepc then x1..x31.
 */
public final class StackFrames {
    /** Words of an Xtensa exception frame. */
    public static final int XTENSA_EXCEPTION_WORDS = 25;
    /** Words of a RISC-V frame. */
    public static final int RISCV_WORDS = 32;
    private static final long PS_EXCM = 1 << 4;
    private static final long PS_UM = 1 << 5;

    private StackFrames() {
    }

    /** What a stack frame holds: the registers and, for an Xtensa exception frame, exccause and excvaddr. */
    public record Decoded(long[] registers, List<NamedValue> exception) {
    }

    /** Decodes the frame at the start of {@code words} (the stack from the saved stack pointer up). */
    public static Decoded decode(Arch arch, long[] words) {
        long[] r = new long[arch.registerNames().size()];
        if (arch == Arch.RISCV) {
            System.arraycopy(words, 0, r, 0, Math.min(words.length, RISCV_WORDS));
            return new Decoded(r, List.of());
        }
        if (words.length < XTENSA_EXCEPTION_WORDS) {
            return new Decoded(r, List.of());
        }
        r[0] = words[1];
        r[1] = words[2];
        if (words[0] != 0) {
            System.arraycopy(words, 3, r, 6, 16);
            r[5] = words[19];
            r[2] = words[22];
            r[3] = words[23];
            r[4] = words[24];
            // A task switched out in an exception has PS.EXCM set: as a windowed frame it reads with EXCM clear.
            if ((r[1] & PS_UM) != 0) {
                r[1] &= ~PS_EXCM;
            }
            return new Decoded(r, List.of(new NamedValue("exccause", words[20]), new NamedValue("excvaddr", words[21])));
        }
        System.arraycopy(words, 4, r, 6, 4);
        return new Decoded(r, List.of());
    }
}
