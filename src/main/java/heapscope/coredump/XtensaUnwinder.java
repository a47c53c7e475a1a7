package heapscope.coredump;

import java.util.ArrayList;
import java.util.List;

/**
 * Unwinds an Xtensa call stack under the windowed ABI, the way the register windows spill to the stack.
 *
 * <p>A windowed call (CALL4/8/12) puts the return address in the callee's a0 with the caller's window increment in
 * its top two bits; the low 30 bits and the top two bits of the current PC make the caller's PC. When a window
 * spills, the caller's a0..a3 go to the base save area, the 16 bytes just below the callee's stack pointer: the
 * caller's a0 at sp-16 and its stack pointer (a1) at sp-12. A dump written by ESP-IDF's panic handler has every
 * window spilled, so walking the save areas from the registers of frame 0 gives every caller.
 */
public final class XtensaUnwinder {
    private static final int A0 = 6;
    private static final int A1 = 7;

    private final Code code;

    public XtensaUnwinder(Code code) {
        this.code = code;
    }

    /** The backtrace from a register set ({@link Arch#XTENSA} order) over the dump's memory. */
    public Backtrace unwind(long[] registers, Memory memory) {
        List<StackFrame> frames = new ArrayList<>();
        long pc = registers[0];
        long a0 = registers[A0];
        long sp = registers[A1];
        frames.add(new StackFrame(pc, sp, "registers"));
        while (true) {
            if (frames.size() >= Backtrace.MAX_FRAMES) {
                return new Backtrace(frames, "more than " + Backtrace.MAX_FRAMES + " frames: the stack is damaged or loops");
            }
            if (a0 == 0) {
                return new Backtrace(frames, null); // a task's first function is entered with a0 = 0
            }
            if ((a0 >>> 30) == 0) {
                return new Backtrace(frames, String.format("a0 0x%08x has no window increment: a call0 frame or not a return address", a0));
            }
            long callerPc = (a0 & 0x3fffffffL) | (pc & 0xc0000000L);
            if (!code.isCode(callerPc)) {
                return new Backtrace(frames, String.format("return address 0x%08x is not code", callerPc));
            }
            long savedA0 = memory.u32(sp - 16);
            long savedSp = memory.u32(sp - 12);
            frames.add(new StackFrame(callerPc, savedSp, "window"));
            if (savedA0 < 0 || savedSp < 0) {
                return new Backtrace(frames, String.format("the base save area at 0x%08x is not in the dump", sp - 16));
            }
            if (savedSp <= sp) {
                if (savedA0 == 0) {
                    return new Backtrace(frames, null);
                }
                return new Backtrace(frames, String.format("the caller's stack pointer 0x%08x is not above 0x%08x", savedSp, sp));
            }
            pc = callerPc;
            a0 = savedA0;
            sp = savedSp;
        }
    }
}
