package heapscope.trace;

import java.util.List;
import java.util.Locale;

/**
 * The firmware stopped: a panic ({@code Guru Meditation Error}), {@code abort()}, a failed {@code assert}, an
 * allocation failure that aborts, or a core dump's crash.
 *
 * @param kind      which of those
 * @param reason    the panic reason ({@code LoadProhibited}) or the abort/assert message
 * @param task      the task the handler names ({@code Detected in task "main"}, a stack canary's or overflow's task),
 *                  or null when the log does not say
 * @param pc        the program counter of the register dump (Xtensa {@code PC}, RISC-V {@code MEPC}), or -1
 * @param registers the exception registers of the dump, in the order printed: {@code EXCCAUSE}, {@code EXCVADDR}
 *                  (Xtensa), {@code MEPC}, {@code RA}, {@code MCAUSE}, {@code MTVAL} (RISC-V)
 * @param backtrace program counters, innermost first (without a printed backtrace: the PC, and RA on RISC-V)
 * @param end       why the backtrace ends where it does
 * @param nestedIn  the line of the crash in whose panic handler this one happened, or -1
 * @param printedAt for a core dump, the line of the same crash as the panic handler printed it before writing the
 *                  dump (one crash, told twice), or -1
 */
public record Crash(long timeNs, int core, long line, Kind kind, String reason, String task, long pc, List<Register> registers,
                    List<Long> backtrace, BacktraceEnd end, long nestedIn, long printedAt) implements Event {
    public Crash {
        registers = List.copyOf(registers);
        backtrace = List.copyOf(backtrace);
    }

    /** This core dump, as the record of the crash printed at LINE. */
    public Crash printedAt(long line) {
        return new Crash(timeNs, core, this.line, kind, reason, task, pc, registers, backtrace, end, nestedIn, line);
    }

    /** What stopped the firmware. */
    public enum Kind {
        PANIC, ABORT, ASSERT, ALLOCATION_FAILURE, CORE_DUMP;

        /** As JSON and the reports write it: {@code allocation failure}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Why a backtrace ends: only {@link #COMPLETE} is the whole call stack. */
    public enum BacktraceEnd {
        /** Printed in full, to the task's entry. */
        COMPLETE,
        /** The unwinder met a frame it could not follow ({@code |<-CORRUPTED}, {@code Backtrace ended abruptly}). */
        CORRUPTED,
        /** The firmware stopped at its depth limit ({@code |<-CONTINUES}). */
        CONTINUES,
        /** No backtrace was printed (RISC-V without frame pointer, a handler that crashed): the registers' PC and RA. */
        NOT_PRINTED,
        /** The log stops or is garbled inside the backtrace or before it: the entries read are kept. */
        CUT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One register of the dump. */
    public record Register(String name, long value) {
    }

    /** The backtrace is not the whole call stack. */
    public boolean truncated() {
        return end != BacktraceEnd.COMPLETE;
    }
}
