package heapscope.coredump;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each RISC-V rule on hand-made frames: CFI rows, undefined ra, the frame pointer, the stack scan. */
class RiscvUnwinderTest {
    private static final long F1 = 0x42000000L; // CFI: sp-16 frame saving ra and s0
    private static final long F2 = 0x42000200L; // CFI: ra undefined (the outermost frame)
    private static final long SP = 0x3fc80000L;

    /** A .debug_frame with one CIE (CFA = sp, code align 1, data align -4, ra = x1) and two FDEs. */
    private static byte[] debugFrame() {
        ByteArrayOutputStream cie = new ByteArrayOutputStream();
        word(cie, 0xffffffffL); // CIE id
        cie.write(1); // version
        cie.write(0); // augmentation ""
        cie.write(1); // code alignment
        cie.write(0x7c); // data alignment -4
        cie.write(1); // return address register x1
        cie.writeBytes(new byte[] {0x0c, 2, 0}); // def_cfa x2+0
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, cie.toByteArray());
        // advance 4; CFA = sp+16; ra at CFA-4; s0 at CFA-8
        entry(out, fde(F1, 0x100, new byte[] {0x44, 0x0e, 16, (byte) 0x81, 1, (byte) 0x88, 2}));
        entry(out, fde(F2, 0x100, new byte[] {0x07, 1})); // ra undefined
        return out.toByteArray();
    }

    private static byte[] fde(long start, long range, byte[] program) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        word(b, 0); // CIE at offset 0
        word(b, start);
        word(b, range);
        b.writeBytes(program);
        return b.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, byte[] body) {
        int pad = (4 - body.length % 4) % 4;
        word(out, body.length + pad);
        out.writeBytes(body);
        out.writeBytes(new byte[pad]); // DW_CFA_nop
    }

    private static void word(ByteArrayOutputStream b, long v) {
        for (int i = 0; i < 4; i++) {
            b.write((int) (v >>> (8 * i)));
        }
    }

    private static long[] registers(long pc, long ra, long sp, long fp) {
        long[] r = new long[Arch.RISCV.registerNames().size()];
        r[0] = pc;
        r[1] = ra;
        r[2] = sp;
        r[8] = fp;
        return r;
    }

    private final Cfi cfi = Cfi.parse(debugFrame(), 0, false);
    private final FakeCode code = new FakeCode(0x40000000L, 0x42200000L).instruction(F2 + 4 - 4, 0x000000efL); // jal ra

    @Test
    void cfiRowsFollowTheProgramToTheAddress() {
        Cfi.Row atEntry = cfi.rowAt(F1);
        assertThat(atEntry.cfaRegister()).isEqualTo(2);
        assertThat(atEntry.cfaOffset()).isZero();
        assertThat(atEntry.savedAt(1)).isFalse();
        Cfi.Row afterPrologue = cfi.rowAt(F1 + 8);
        assertThat(afterPrologue.cfaOffset()).isEqualTo(16);
        assertThat(afterPrologue.savedAt(1)).isTrue();
        assertThat(afterPrologue.value(1)).isEqualTo(-4);
        assertThat(afterPrologue.value(8)).isEqualTo(-8);
        assertThat(cfi.rowAt(F1 + 0x100)).isNull();
        assertThat(cfi.rowAt(F2 + 0x10).undefined(1)).isTrue();
    }

    @Test
    void cfiGivesTheCallerAndAnUndefinedRaStopsAsGdbSays() {
        Stack s = new Stack(SP, 0x100).put(SP + 8, 0x5555, F2 + 4); // s0, ra below the CFA sp+16
        Backtrace bt = new RiscvUnwinder(cfi, code).unwind(registers(F1 + 8, 0, SP, 0), s.memory());
        assertThat(bt.frames()).extracting(StackFrame::pc).containsExactly(F1 + 8, F2 + 4);
        assertThat(bt.frames()).extracting(StackFrame::how).containsExactly("registers", "cfi");
        assertThat(bt.frames().get(1).sp()).isEqualTo(SP + 16);
        assertThat(bt.stopReason()).isEqualTo("frame did not save the PC");
    }

    @Test
    void atAFunctionsEntryTheReturnAddressIsStillInRa() {
        Backtrace bt = new RiscvUnwinder(cfi, code).unwind(registers(F1, F2 + 4, SP, 0), new Stack(SP, 0x100).memory());
        assertThat(bt.frames()).extracting(StackFrame::pc).containsExactly(F1, F2 + 4);
    }

    @Test
    void aZeroReturnAddressIsTheEnd() {
        Backtrace bt = new RiscvUnwinder(cfi, code).unwind(registers(F1, 0, SP, 0), new Stack(SP, 0x100).memory());
        assertThat(bt.frames()).hasSize(1);
        assertThat(bt.stopReason()).isEqualTo("frame did not save the PC");
    }

    @Test
    void withoutCfiTheFramePointerLeadsToTheCaller() {
        long fp = SP + 32;
        Stack s = new Stack(SP, 0x100).put(fp - 8, 0, F2 + 4); // previous s0, ra
        Backtrace bt = new RiscvUnwinder(cfi, code).unwind(registers(0x42100000L, 0, SP, fp), s.memory());
        assertThat(bt.frames()).extracting(StackFrame::pc).containsExactly(0x42100000L, F2 + 4);
        assertThat(bt.frames().get(1).how()).isEqualTo("frame pointer");
        assertThat(bt.frames().get(1).sp()).isEqualTo(fp);
    }

    @Test
    void withoutCfiOrFramePointerTheStackIsScannedForAReturnAddressAfterACall() {
        // a data word, a word in code but not after a call, then a return address right after the jal at F2
        Stack s = new Stack(SP, 0x100).put(SP, 0x3fc81234L, F2 + 0x40, F2 + 4);
        Backtrace bt = new RiscvUnwinder(cfi, code).unwind(registers(0x40001000L, 0, SP, 0), s.memory());
        assertThat(bt.frames()).extracting(StackFrame::pc).containsExactly(0x40001000L, F2 + 4);
        assertThat(bt.frames().get(1).how()).isEqualTo("stack scan");
    }

    @Test
    void nothingToUnwindBySaysSo() {
        Backtrace bt = new RiscvUnwinder(cfi, code).unwind(registers(0x42100000L, 0, SP, 0), new Stack(SP, 0x100).memory());
        assertThat(bt.frames()).hasSize(1);
        assertThat(bt.stopReason()).startsWith("no call frame information for 0x42100000");
    }

    @Test
    void damagedCallFrameInformationIsSkippedNotFatal() {
        byte[] broken = debugFrame();
        broken[broken.length - 20] = (byte) 0xff; // inside the second FDE
        Cfi damaged = Cfi.parse(broken, 0, false);
        assertThat(damaged.rowAt(F1 + 8)).isNotNull();
    }
}
