package heapscope.coredump;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The FreeRTOS ports' saved frames, as the legacy binary format leaves them in each task's stack. */
class StackFramesTest {
    @Test
    void xtensaExceptionFrameGivesEveryRegisterAndTheCause() {
        long[] w = new long[StackFrames.XTENSA_EXCEPTION_WORDS];
        w[0] = 0x40082758L; // exit: non-zero marks an exception frame
        w[1] = 0x4008110dL;
        w[2] = 0x00060830L; // PS with EXCM and UM
        for (int i = 0; i < 16; i++) {
            w[3 + i] = 0x100 + i;
        }
        w[19] = 0x10;
        w[20] = 29;
        w[21] = 0xdead;
        w[22] = 0x4000c349L;
        w[23] = 0x4000c36bL;
        w[24] = 7;
        StackFrames.Decoded d = StackFrames.decode(Arch.XTENSA, w);
        assertThat(d.registers()).containsExactly(0x4008110dL, 0x00060820L, 0x4000c349L, 0x4000c36bL, 7, 0x10,
                0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107, 0x108, 0x109, 0x10a, 0x10b, 0x10c, 0x10d, 0x10e, 0x10f);
        assertThat(d.exception()).containsExactly(new NamedValue("exccause", 29), new NamedValue("excvaddr", 0xdead));
    }

    @Test
    void xtensaSolicitedFrameGivesPcPsAndA0ToA3() {
        long[] w = new long[StackFrames.XTENSA_EXCEPTION_WORDS];
        w[1] = 0x40085908L;
        w[2] = 0x50020;
        w[3] = 0x12345678L; // "next": not a register
        w[4] = 0x80085c3aL;
        w[5] = 0x3ffaf240L;
        w[6] = 2;
        w[7] = 3;
        StackFrames.Decoded d = StackFrames.decode(Arch.XTENSA, w);
        assertThat(d.registers()[0]).isEqualTo(0x40085908L);
        assertThat(d.registers()[1]).isEqualTo(0x50020L);
        assertThat(d.registers()).startsWith(0x40085908L, 0x50020L, 0, 0, 0, 0, 0x80085c3aL, 0x3ffaf240L, 2, 3, 0);
        assertThat(d.exception()).isEmpty();
    }

    @Test
    void riscvFrameIsMepcThenX1ToX31() {
        long[] w = new long[StackFrames.RISCV_WORDS];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0x1000 + i;
        }
        assertThat(StackFrames.decode(Arch.RISCV, w).registers()).containsExactly(w);
    }
}
