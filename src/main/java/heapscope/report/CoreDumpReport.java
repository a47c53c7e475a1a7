package heapscope.report;

import heapscope.coredump.Arch;
import heapscope.coredump.CoreDump;
import heapscope.coredump.CrashAnalysis;
import heapscope.coredump.MemoryRegion;
import heapscope.coredump.NamedValue;
import heapscope.coredump.StackFrame;
import heapscope.coredump.TaskInfo;
import heapscope.coredump.heap.HeapAtCrash;
import heapscope.coredump.heap.HeapLayout;
import heapscope.coredump.heap.HeapRegion;
import heapscope.symbols.Frame;
import heapscope.symbols.SymbolHit;
import heapscope.symbols.Symbolizer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A core dump as text, in the sections and order of espcoredump's info_corefile: crashed task, registers, the crashed
 * task's stack, the task table, every task's backtrace, memory regions.
 */
public final class CoreDumpReport {
    private static final String[] EXCCAUSE = new String[40];
    /** How many sizes of the live set at the crash the text lists. */
    private static final int SIZES_SHOWN = 10;

    static {
        String[] names = {"IllegalInstructionCause", "SyscallCause", "InstructionFetchErrorCause", "LoadStoreErrorCause",
            "Level1InterruptCause", "AllocaCause", "IntegerDivideByZeroCause", null, "PrivilegedCause",
            "LoadStoreAlignmentCause", null, null, "InstrPIFDataErrorCause", "LoadStorePIFDataErrorCause",
            "InstrPIFAddrErrorCause", "LoadStorePIFAddrErrorCause", "InstTLBMissCause", "InstTLBMultiHitCause",
            "InstFetchPrivilegeCause", null, "InstFetchProhibitedCause", null, null, null, "LoadStoreTLBMissCause",
            "LoadStoreTLBMultiHitCause", "LoadStorePrivilegeCause", null, "LoadProhibitedCause", "StoreProhibitedCause"};
        System.arraycopy(names, 0, EXCCAUSE, 0, names.length);
        for (int i = 0; i < 8; i++) {
            EXCCAUSE[32 + i] = "Coprocessor" + i + "Disabled";
        }
    }

    private final List<Symbolizer> symbolizers;

    /** {@code symbolizers}: the application ELF first, then any ROM ELF. */
    public CoreDumpReport(List<Symbolizer> symbolizers) {
        this.symbolizers = symbolizers;
    }

    /** One printed frame: the PC (null for the outer frames of an inline chain), function, file and line. */
    public record Line(Long pc, String function, String file, int line) {
    }

    /** The frames of one backtrace entry, inline frames expanded, innermost first, as GDB numbers them. */
    public List<Line> lines(StackFrame f) {
        long lookup = f.isCaller() ? f.pc() - 1 : f.pc();
        for (Symbolizer s : symbolizers) {
            List<Frame> frames = s.lookup(lookup);
            if (!frames.isEmpty()) {
                List<Line> out = new ArrayList<>();
                for (int i = 0; i < frames.size(); i++) {
                    Frame fr = frames.get(i);
                    out.add(new Line(i == 0 ? f.pc() : null, fr.function(), fr.file(), fr.line()));
                }
                return out;
            }
        }
        return List.of(new Line(f.pc(), null, null, 0));
    }

    public void write(CrashAnalysis.Result r, PrintWriter out) {
        write(r, null, out);
    }

    /** The dump, and after its memory regions the heap at the crash when {@code heap} is not null. */
    public void write(CrashAnalysis.Result r, HeapAtCrash heap, PrintWriter out) {
        CoreDump d = r.dump();
        out.printf("Core dump: %s, %s format (version 0x%04x)%n", d.chipName(), d.elfFormat() ? "ELF" : "binary", d.version());
        for (String w : r.warnings()) {
            out.println("warning: " + Escape.terminal(w));
        }
        if (heap instanceof HeapAtCrash.Walked w) {
            for (String p : w.problems()) {
                out.println("warning: heap: " + Escape.terminal(p));
            }
        }
        CrashAnalysis.Task crashed = r.crashed();
        out.println();
        if (d.crashedTcb() == 0xdeadbeefL) {
            out.println("Crashed task has been skipped.");
        } else if (crashed != null) {
            out.printf("Crashed task handle: 0x%x, name: '%s'%n", crashed.dump().tcb(), name(crashed.info()));
        }
        if (d.isrContext() != null) {
            out.println(d.isrContext() ? "Crashed task is in the interrupt context" : "Crashed task is not in the interrupt context");
        }
        if (d.panicReason() != null) {
            out.println("Panic reason: " + Escape.terminal(d.panicReason()));
        }
        out.println();
        out.println("================== CURRENT THREAD REGISTERS ===================");
        for (NamedValue v : d.exceptionRegisters()) {
            String cause = v.name().equals("exccause") ? " (" + cause(v.value()) + ")" : "";
            out.printf("%-14s 0x%x%s%n", v.name(), v.value(), cause);
        }
        if (crashed != null) {
            List<String> names = d.arch().registerNames();
            long[] regs = crashed.dump().registers();
            for (int i = d.arch() == Arch.RISCV ? 1 : 0; i < names.size(); i++) {
                register(out, names.get(i), regs[i]);
            }
            if (d.arch() == Arch.RISCV) {
                register(out, "pc", regs[0]);
            }
            out.println();
            out.println("==================== CURRENT THREAD STACK =====================");
            backtrace(crashed, out);
        }
        out.println();
        out.println("======================== THREADS INFO =========================");
        out.println("       TCB             NAME PRIO C/B  STACK USED/FREE");
        out.println("---------- ---------------- -------- ----------------");
        for (CrashAnalysis.Task t : r.tasks()) {
            TaskInfo i = t.info();
            out.printf("0x%08x %16s %8s %16s%n", t.dump().tcb(), name(i), i.priority() + "/" + i.basePriority(),
                    i.stackUsed() + "/" + i.stackFree());
        }
        for (CrashAnalysis.Task t : r.tasks()) {
            out.println();
            out.printf("==================== THREAD %d (TCB: 0x%08x, name: '%s') =====================%n", t.dump().index() + 1,
                    t.dump().tcb(), name(t.info()));
            backtrace(t, out);
            if (t.dump().corrupted()) {
                out.println("The firmware marked this task as corrupted.");
            }
        }
        out.println();
        out.println("======================= ALL MEMORY REGIONS ========================");
        out.println("Name   Address   Size   Attrs");
        for (MemoryRegion m : r.regions()) {
            out.printf("%s 0x%x 0x%x %s%n", Escape.terminal(m.name()), m.address(), m.size(), m.attributes());
        }
        if (heap != null) {
            out.println();
            out.println("======================= HEAP AT THE CRASH =========================");
            heap(heap, out);
        }
        out.flush();
    }

    private static void heap(HeapAtCrash heap, PrintWriter out) {
        switch (heap) {
            case HeapAtCrash.NotWalked n -> out.println("Not read: " + Escape.terminal(n.reason()) + ".");
            case HeapAtCrash.Walked w -> {
                out.println("From the " + HeapLayout.SOURCE + ".");
                out.printf("%-21s %-20s %20s %20s %13s %13s%n", "Region", "Caps (by priority)", "Used", "Free", "Largest free",
                        "Free at least");
                long used = 0;
                long usedBytes = 0;
                long free = 0;
                long freeBytes = 0;
                long largest = 0;
                for (HeapRegion g : w.regions()) {
                    out.printf("%-21s %-20s %20s %20s %13s %13s%s%n", Units.hex(g.start()) + "-" + Units.hex(g.end()),
                            String.format("0x%x/0x%x/0x%x", g.caps()[0], g.caps()[1], g.caps()[2]),
                            Units.blocks(g.usedCount()) + ", " + Units.count(g.usedBytes()) + " B",
                            Units.blocks(g.freeCount()) + ", " + Units.count(g.walkedFreeBytes()) + " B",
                            Units.count(g.largestFree()) + " B", g.minimumFree() < 0 ? "?" : Units.count(g.minimumFree()) + " B",
                            g.stopReason() == null ? "" : "  (walked in part)");
                    used += g.usedCount();
                    usedBytes += g.usedBytes();
                    free += g.freeCount();
                    freeBytes += g.walkedFreeBytes();
                    largest = Math.max(largest, g.largestFree());
                }
                out.printf("Total: %s allocated (%s B), %s free (%s B), the largest free block %s B%n", Units.blocks(used),
                        Units.count(usedBytes), Units.blocks(free), Units.count(freeBytes), Units.count(largest));
                List<HeapAtCrash.SizeClass> sizes = w.liveBySize();
                if (!sizes.isEmpty()) {
                    out.println();
                    out.println("Allocated blocks by size, the largest total first (sizes rounded up to 4 bytes, as heap_caps_get_allocated_size gives them):");
                    out.printf("%10s %8s %12s%n", "size", "blocks", "bytes");
                    for (HeapAtCrash.SizeClass c : sizes.subList(0, Math.min(SIZES_SHOWN, sizes.size()))) {
                        out.printf("%10s %8s %12s%n", Units.count(c.size()), Units.count(c.count()), Units.count(c.bytes()));
                    }
                    if (sizes.size() > SIZES_SHOWN) {
                        out.printf("(%d more sizes)%n", sizes.size() - SIZES_SHOWN);
                    }
                }
            }
        }
    }

    private void backtrace(CrashAnalysis.Task t, PrintWriter out) {
        int n = 0;
        for (StackFrame f : t.backtrace().frames()) {
            for (Line l : lines(f)) {
                StringBuilder b = new StringBuilder();
                b.append(String.format("#%-2d ", n++));
                if (l.pc() != null) {
                    b.append(String.format("0x%08x in ", l.pc()));
                }
                b.append(l.function() == null ? "??" : Escape.terminal(l.function()));
                if (l.file() != null) {
                    b.append(" at ").append(Escape.terminal(l.file())).append(':').append(l.line());
                }
                out.println(b);
            }
        }
        if (t.backtrace().stopReason() != null) {
            out.println("Backtrace stopped: " + Escape.terminal(t.backtrace().stopReason()));
        }
    }

    private void register(PrintWriter out, String name, long value) {
        String sym = "";
        for (Symbolizer s : symbolizers) {
            if (s.containsCode(value)) {
                Optional<SymbolHit> hit = s.symbol(value);
                if (hit.isPresent()) {
                    sym = " <" + Escape.terminal(hit.get().name()) + (hit.get().offset() == 0 ? "" : "+" + hit.get().offset()) + ">";
                    break;
                }
            }
        }
        out.printf("%-14s 0x%-16x %d%s%n", name, value, (int) value, sym);
    }

    private static String name(TaskInfo i) {
        return i == null || i.name() == null ? "?" : Escape.terminal(i.name());
    }

    private static String cause(long v) {
        return v >= 0 && v < EXCCAUSE.length && EXCCAUSE[(int) v] != null ? EXCCAUSE[(int) v] : "Invalid EXCCAUSE code";
    }
}
