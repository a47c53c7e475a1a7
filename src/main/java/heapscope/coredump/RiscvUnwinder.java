package heapscope.coredump;

import java.util.ArrayList;
import java.util.List;

/**
 * Unwinds a RISC-V call stack: by the DWARF call frame information where the ELF has it, else by the frame pointer
 * (s0 points above the saved ra and previous s0, as GCC lays out frames with -fno-omit-frame-pointer), else, for code
 * the ELF does not describe (the chip's ROM), by scanning the stack for a return address ({@link #byScan}).
 */
public final class RiscvUnwinder {
    private static final int RA = 1;
    private static final int SP = 2;
    private static final int FP = 8;
    /** How far above the stack pointer a scan looks for the return address of a frame without CFI. */
    private static final int SCAN_BYTES = 512;
    /**
     * How far above its saved ra a frame may end: a variadic function saves a1..a7 at the top of its frame, above ra
     * (seven registers, rounded up to the 16-byte stack alignment).
     */
    private static final int VARARGS_BYTES = 32;
    /** How many frames a scanned candidate is followed to check it. */
    private static final int CHAIN_FRAMES = 4;

    private final Cfi cfi;
    private final Code code;

    public RiscvUnwinder(Cfi cfi, Code code) {
        this.cfi = cfi;
        this.code = code;
    }

    /** The backtrace from a register set ({@link Arch#RISCV} order: pc, x1..x31) over the dump's memory. */
    public Backtrace unwind(long[] registers, Memory memory) {
        List<StackFrame> frames = new ArrayList<>();
        long[] r = registers.clone();
        frames.add(new StackFrame(r[0], r[SP], "registers"));
        boolean caller = false;
        while (true) {
            if (frames.size() >= Backtrace.MAX_FRAMES) {
                return new Backtrace(frames, "more than " + Backtrace.MAX_FRAMES + " frames: the stack is damaged or loops");
            }
            long pc = r[0];
            Cfi.Row row = cfi.rowAt(caller ? pc - 1 : pc);
            long[] next;
            String how;
            if (row != null) {
                Step s = byCfi(row, r, memory);
                if (s.stop != null) {
                    return new Backtrace(frames, s.stop);
                }
                next = s.registers;
                how = "cfi";
            } else {
                next = byFramePointer(r, memory);
                how = "frame pointer";
                if (next == null) {
                    next = byScan(r, memory);
                    how = "stack scan";
                }
                if (next == null) {
                    return new Backtrace(frames, String.format("no call frame information for 0x%08x, no frame pointer, "
                            + "and no return address in the %d bytes above sp 0x%08x", pc, SCAN_BYTES, r[SP]));
                }
            }
            if (next[0] == 0) {
                return new Backtrace(frames, "frame did not save the PC");
            }
            if (!code.isCode(next[0])) {
                return new Backtrace(frames, String.format("return address 0x%08x is not code", next[0]));
            }
            if (next[SP] < r[SP] || next[SP] == r[SP] && next[0] == r[0]) {
                return new Backtrace(frames, String.format("the caller's stack pointer 0x%08x is not above 0x%08x", next[SP], r[SP]));
            }
            frames.add(new StackFrame(next[0], next[SP], how));
            r = next;
            caller = true;
        }
    }

    /** The caller's registers, or why there are none; {@code outermost} when the CFI itself marks ra undefined. */
    private record Step(long[] registers, String stop, boolean outermost) {
        Step(long[] registers, String stop) {
            this(registers, stop, false);
        }
    }

    /** The caller's registers by the CFI row: CFA = rule register + offset, saved registers read from the stack. */
    private static Step byCfi(Cfi.Row row, long[] r, Memory memory) {
        if (row.cfaRegister() < 1 || row.cfaRegister() > 31) {
            return new Step(null, "CFA is not defined by a general register");
        }
        long cfa = (r[row.cfaRegister()] + row.cfaOffset()) & 0xffffffffL;
        long[] next = r.clone();
        for (int reg = 1; reg <= 31; reg++) {
            if (row.savedAt(reg)) {
                long v = memory.u32(cfa + row.value(reg));
                if (v < 0) {
                    return new Step(null, String.format("x%d is saved at 0x%08x, which is not in the dump", reg, cfa + row.value(reg)));
                }
                next[reg] = v;
            } else if (row.valueOffset(reg)) {
                next[reg] = (cfa + row.value(reg)) & 0xffffffffL;
            } else if (row.inRegister(reg) && row.value(reg) < 32) {
                next[reg] = r[(int) row.value(reg)];
            }
        }
        int ra = row.returnRegister() >= 1 && row.returnRegister() <= 31 ? row.returnRegister() : RA;
        if (row.undefined(ra)) {
            return new Step(null, "frame did not save the PC", true);
        }
        next[0] = next[ra];
        next[SP] = cfa;
        return new Step(next, null);
    }

    /** s0 as the frame pointer: ra at s0-4, the caller's s0 at s0-8, the caller's sp is s0. */
    private static long[] byFramePointer(long[] r, Memory memory) {
        long fp = r[FP];
        if (fp <= r[SP] || (fp & 3) != 0 || fp - r[SP] > 0x10000) {
            return null;
        }
        long ra = memory.u32(fp - 4);
        long prev = memory.u32(fp - 8);
        if (ra <= 0 || prev < 0) {
            return null;
        }
        long[] next = r.clone();
        next[0] = ra;
        next[FP] = prev;
        next[SP] = fp;
        return next;
    }

    /**
     * A return address among the stack words above sp: a word just after a call in the application, or in ROM (whose
     * bytes are not in the ELF). Stale return addresses lie in frames too, so each application candidate is tried
     * with every stack pointer its frame can start at (just above the slot, or up to 32 bytes higher when the
     * callee is variadic) and followed by CFI a few frames on: the candidate whose chain of callers runs longest (to
     * a zero return address counts as the whole way) wins, the lowest slot among equals. A ROM candidate cannot be
     * checked by CFI: it scores one more than the best application candidate above it.
     */
    private long[] byScan(long[] r, Memory memory) {
        long sp = r[SP];
        List<long[]> found = new ArrayList<>();
        List<Integer> scores = new ArrayList<>();
        List<Boolean> rom = new ArrayList<>();
        for (long slot = sp; slot < sp + SCAN_BYTES; slot += 4) {
            long v = memory.u32(slot);
            if (v < 0) {
                break;
            }
            if (!isReturnAddress(v)) {
                continue;
            }
            long[] next = r.clone();
            next[0] = v;
            next[SP] = slot + 4;
            if (cfi.rowAt(v - 1) == null) {
                found.add(next);
                scores.add(1);
                rom.add(true);
                continue;
            }
            long[] bestHere = null;
            int scoreHere = 0;
            for (long s = slot + 4; s <= slot + 4 + VARARGS_BYTES; s += 4) {
                next[SP] = s;
                int score = chain(next, memory);
                if (score > scoreHere) {
                    bestHere = next.clone();
                    scoreHere = score;
                }
            }
            if (bestHere != null) {
                found.add(bestHere);
                scores.add(scoreHere);
                rom.add(false);
            }
        }
        // A ROM frame cannot be checked by CFI, but the chain that continues above it can: it scores one more.
        int bestScore = 0;
        long[] best = null;
        for (int i = 0; i < found.size(); i++) {
            int score = scores.get(i);
            if (rom.get(i)) {
                for (int j = i + 1; j < found.size(); j++) {
                    if (!rom.get(j)) {
                        score = Math.max(score, scores.get(j) + 1);
                    }
                }
            }
            if (score > bestScore) {
                bestScore = score;
                best = found.get(i);
            }
        }
        return best;
    }

    /** How many frames CFI unwinds from {@code start} to return addresses (0 if none); a clean end counts as all. */
    private int chain(long[] start, Memory memory) {
        long[] r = start;
        int depth = 0;
        for (int i = 0; i < CHAIN_FRAMES; i++) {
            Cfi.Row row = cfi.rowAt(r[0] - 1);
            if (row == null) {
                return depth;
            }
            Step s = byCfi(row, r, memory);
            if (s.outermost) {
                return CHAIN_FRAMES + 1;
            }
            if (s.stop != null || s.registers[SP] < r[SP]) {
                return depth;
            }
            if (s.registers[0] == 0) {
                return depth == 0 ? 0 : CHAIN_FRAMES + 1;
            }
            if (!isReturnAddress(s.registers[0])) {
                return depth;
            }
            depth++;
            r = s.registers;
        }
        return CHAIN_FRAMES + 1;
    }

    /** After a jal/jalr that links ra (or its compressed forms), or anywhere in ROM, whose bytes are unknown. */
    boolean isReturnAddress(long v) {
        if ((v & 1) != 0 || !code.isCode(v)) {
            return false;
        }
        if (!code.hasBytes(v - 4, 4)) {
            return !code.hasBytes(v - 2, 2); // ROM: no bytes to check
        }
        int lo = code.u16(v - 4);
        int hi = code.u16(v - 2);
        long insn = (lo & 0xffffL) | (hi & 0xffffL) << 16;
        int opcode = (int) (insn & 0x7f);
        int rd = (int) (insn >>> 7) & 0x1f;
        if ((lo & 3) == 3 && (opcode == 0x6f || opcode == 0x67) && rd == RA) {
            return true;
        }
        int c = hi; // a 16-bit instruction just before v
        boolean cJal = (c & 0xe003) == 0x2001; // RV32 c.jal
        boolean cJalr = (c & 0xf07f) == 0x9002 && (c & 0x0f80) != 0;
        return (c & 3) != 3 && (cJal || cJalr);
    }
}
