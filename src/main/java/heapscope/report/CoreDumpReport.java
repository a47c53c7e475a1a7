package heapscope.report;

import heapscope.coredump.Arch;
import heapscope.coredump.CoreDump;
import heapscope.coredump.CrashAnalysis;
import heapscope.coredump.MemoryRegion;
import heapscope.coredump.NamedValue;
import heapscope.coredump.StackFrame;
import heapscope.coredump.TaskInfo;
import heapscope.coredump.heap.CrashHeap;
import heapscope.coredump.heap.HeapAtCrash;
import heapscope.coredump.heap.HeapRegion;
import heapscope.coredump.heap.HeapTrace;
import heapscope.coredump.heap.TraceBuffer;
import heapscope.coredump.heap.TraceRecord;
import heapscope.coredump.heap.TraceSites;
import heapscope.log.FailedAllocation;
import heapscope.symbols.Frame;
import heapscope.symbols.SymbolHit;
import heapscope.symbols.Symbolizer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A core dump as text, in the sections and order of espcoredump's info_corefile: crashed task, registers, the crashed
 * task's stack, the task table, every task's backtrace, memory regions.
 */
public final class CoreDumpReport {
    private static final String[] EXCCAUSE = new String[40];
    /** How many sizes of the live set at the crash, and how many of the last traced allocations, the text lists. */
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
    private final Predicate<String> allocator;

    /** {@code symbolizers}: the application ELF first, then any ROM ELF. */
    public CoreDumpReport(List<Symbolizer> symbolizers) {
        this(symbolizers, function -> false);
    }

    /** {@code allocator}: whether a function is the allocator or a wrapper of it, not where a heap trace's block was made. */
    public CoreDumpReport(List<Symbolizer> symbolizers, Predicate<String> allocator) {
        this.symbolizers = symbolizers;
        this.allocator = allocator;
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

    /**
     * What the dump and the log around it tell of the heap at the crash.
     *
     * @param heap       the heap read from the dump, null when not looked for
     * @param failed     the allocation the log reported as failed before the dump, or null
     * @param failedLine its line in the log
     */
    public record HeapParts(CrashHeap heap, FailedAllocation failed, long failedLine) {
        public static final HeapParts NONE = new HeapParts(null, null, 0);
    }

    public void write(CrashAnalysis.Result r, PrintWriter out) {
        write(r, HeapParts.NONE, out);
    }

    /** The dump, and after its memory regions the heap at the crash and the firmware's standalone heap trace. */
    public void write(CrashAnalysis.Result r, HeapParts parts, PrintWriter out) {
        HeapAtCrash heap = parts.heap() == null ? null : parts.heap().heap();
        HeapTrace trace = parts.heap() == null ? null : parts.heap().trace();
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
        if (trace instanceof HeapTrace.Read t) {
            for (String p : t.warnings()) {
                out.println("warning: heap trace: " + Escape.terminal(p));
            }
            if (t.overflowed()) {
                out.println("warning: heap trace: the record buffer overflowed, so allocations made while it was full are not "
                        + "in it (give heap_trace_init_standalone() more records)");
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
        if (parts.failed() != null) {
            out.printf("The allocation that failed: %s bytes with capabilities 0x%x (line %d of the log)%n",
                    Units.count(parts.failed().size()), parts.failed().caps(), parts.failedLine());
        } else if (d.panicReason() != null && d.panicReason().contains("Memory allocation failed")) {
            out.println("The crash is a failed allocation (CONFIG_HEAP_ABORT_WHEN_ALLOCATION_FAILS); the log line before the dump "
                    + "gives its size, when a failed-allocation callback printed it");
        } else if (crashed != null && onStack(crashed, "heap_caps_alloc_failed")) {
            out.println("The crashed task failed an allocation (heap_caps_alloc_failed is on its stack); the log line before "
                    + "the dump gives its size");
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
            if (r.otherFirmware() != null && !(heap instanceof HeapAtCrash.NotWalked)) {
                out.println("The ELF is not the dump's firmware (see the warning above): the heap below is read where its symbols "
                        + "say and with its types, which may not be this firmware's.");
            }
            heap(heap, r, out);
            CrashHeap.FailedAllocation judged = parts.heap().failed();
            if (judged != null) { // why it failed, from the regions that have every capability it asked for
                String line = DiagnosticLines.failure(judged.size(), judged.caps(), judged.why());
                out.println();
                out.println(Character.toUpperCase(line.charAt(0)) + line.substring(1) + ".");
            }
        }
        if (trace != null) {
            out.println();
            out.println("==================== HEAP TRACE AT THE CRASH ======================");
            trace(trace, parts.heap().sites(), out);
        }
        out.flush();
    }

    private static void heap(HeapAtCrash heap, CrashAnalysis.Result r, PrintWriter out) {
        switch (heap) {
            case HeapAtCrash.NotWalked n -> out.println("Not read: " + Escape.terminal(n.reason()) + ".");
            case HeapAtCrash.Walked w -> {
                out.println("From the " + w.layout().source() + ".");
                out.printf("%-21s %-20s %20s %20s %13s %13s%n", "Region", "Caps (by priority)", "Used", "Free", "Largest free",
                        "Free at least");
                for (HeapRegion g : w.regions()) {
                    out.printf("%-21s %-20s %20s %20s %13s %13s%s%n", Units.hex(g.start()) + "-" + Units.hex(g.end()),
                            String.format("0x%x/0x%x/0x%x", g.caps()[0], g.caps()[1], g.caps()[2]),
                            Units.blocks(g.usedCount()) + ", " + Units.count(g.usedBytes()) + " B",
                            Units.blocks(g.freeCount()) + ", " + Units.count(g.walkedFreeBytes()) + " B",
                            Units.count(g.largestFree()) + " B", g.minimumFree() < 0 ? "?" : Units.count(g.minimumFree()) + " B",
                            g.stopReason() == null ? "" : "  (walked in part)");
                }
                HeapAtCrash.Totals t = w.totals();
                out.printf("Total: %s allocated (%s B), %s free (%s B), the largest free block %s B%n", Units.blocks(t.usedBlocks()),
                        Units.count(t.usedBytes()), Units.blocks(t.freeBlocks()), Units.count(t.freeBytes()), Units.count(t.largestFree()));
                List<HeapAtCrash.SizeClass> sizes = w.liveBySize();
                if (!sizes.isEmpty()) {
                    out.println();
                    out.println("Allocated blocks by size, the largest total first " + (w.layout().poisoning() != null
                            ? "(sizes as asked for, from heap poisoning's headers):" : "(sizes rounded up to 4 bytes, as heap_caps_get_allocated_size gives them):"));
                    out.printf("%10s %8s %12s%n", "size", "blocks", "bytes");
                    for (HeapAtCrash.SizeClass c : sizes.subList(0, Math.min(SIZES_SHOWN, sizes.size()))) {
                        out.printf("%10s %8s %12s%n", Units.count(c.size()), Units.count(c.count()), Units.count(c.bytes()));
                    }
                    if (sizes.size() > SIZES_SHOWN) {
                        out.printf("(%d more sizes)%n", sizes.size() - SIZES_SHOWN);
                    }
                }
                List<HeapAtCrash.Owner> owners = w.liveByOwner();
                if (!owners.isEmpty()) {
                    out.println();
                    out.println("Allocated blocks by the task that made them (heap task tracking), the most bytes first:");
                    out.printf("%10s %8s  %s%n", "bytes", "blocks", "task");
                    for (HeapAtCrash.Owner o : owners) {
                        String name = r.tasks().stream().filter(k -> k.dump().tcb() == o.task()).map(k -> name(k.info())).findFirst()
                                .orElse("?");
                        out.printf("%10s %8s  %s (TCB 0x%08x)%n", Units.count(o.bytes()), Units.count(o.blocks()), name, o.task());
                    }
                }
            }
        }
    }

    /** Whether a function named {@code function} is on the task's stack. */
    private boolean onStack(CrashAnalysis.Task t, String function) {
        for (StackFrame f : t.backtrace().frames()) {
            for (Line l : lines(f)) {
                if (function.equals(l.function())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void trace(HeapTrace trace, List<TraceSites.Site> sites, PrintWriter out) {
        if (trace instanceof HeapTrace.NotRead n) {
            out.println("Not read: " + Escape.terminal(n.reason()) + ".");
            return;
        }
        HeapTrace.Read t = (HeapTrace.Read) trace;
        out.println("From the " + TraceBuffer.SOURCE + ".");
        String mode = t.leaksMode() == null ? "" : t.leaksMode() ? " in HEAP_TRACE_LEAKS mode" : " in HEAP_TRACE_ALL mode";
        String tracing = t.tracing() == null ? "" : t.tracing() ? ", tracing on" : ", tracing stopped";
        out.printf("Standalone heap trace%s%s: %s of %s (high water mark %s)%s%n", mode, tracing, Units.count(t.records().size())
                        + (t.records().size() == 1 ? " record" : " records"), Units.count(t.capacity()), Units.count(t.highWaterMark()),
                t.allocations() < 0 || t.frees() < 0 ? "" : "; " + Units.count(t.allocations()) + " allocations and "
                        + Units.count(t.frees()) + " frees traced since heap_trace_start()");
        List<TraceRecord> alive = t.records().stream().filter(x -> !x.freed()).toList();
        if (alive.isEmpty()) {
            out.println("No block of the trace was alive at the crash.");
            return;
        }
        out.println();
        out.println("Alive at the crash, by the first caller outside the allocator:");
        out.printf("%10s %8s  %s%n", "bytes", "blocks", "site");
        for (TraceSites.Site site : sites) {
            out.printf("%10s %8s  %s%n", Units.count(site.bytes()), Units.count(site.blocks()), Escape.terminal(site.describe()));
        }
        out.println();
        out.println("The last allocations before the crash, the latest last:");
        for (TraceRecord x : alive.subList(Math.max(0, alive.size() - SIZES_SHOWN), alive.size())) {
            out.printf("  %s %8s B  core %d  %s%n", Units.hex(x.address()), Units.count(x.size()), x.core(),
                    Escape.terminal(TraceSites.of(x, this::callerFrames, allocator).describe()));
        }
    }

    /** The frames of the call before return address {@code pc}, from the first ELF that knows it. */
    public List<Frame> callerFrames(long pc) {
        for (Symbolizer s : symbolizers) {
            List<Frame> f = s.lookupReturnAddress(pc);
            if (!f.isEmpty()) {
                return f;
            }
        }
        return List.of(new Frame(null, null, 0, 0, false));
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
