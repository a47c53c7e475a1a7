package heapscope.log;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.coredump.Arch;
import heapscope.coredump.Backtrace;
import heapscope.coredump.Code;
import heapscope.coredump.CoreDump;
import heapscope.coredump.CoreDumpDecoder;
import heapscope.coredump.CoreDumpException;
import heapscope.coredump.CoreDumpText;
import heapscope.coredump.NamedValue;
import heapscope.coredump.StackFrame;
import heapscope.coredump.TaskDump;
import heapscope.coredump.TaskInfo;
import heapscope.coredump.TcbLayout;
import heapscope.coredump.XtensaUnwinder;
import heapscope.trace.Crash;
import heapscope.trace.Recording;
import heapscope.trace.Crash.BacktraceEnd;
import heapscope.trace.Crash.Kind;
import heapscope.trace.Crash.Register;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A core dump printed to the console (docs/coredump.md): the base64 lines between {@code CORE DUMP START} and
 * {@code CORE DUMP END} are decoded into a {@link Crash} naming the crashed task, whether it was in an interrupt
 * handler and the panic reason, with the crashed task's call stack (callers as addresses inside their call
 * instruction, as a log's {@code Backtrace:} line gives them). The log decoder has no ELF: Xtensa stacks are
 * unwound by the register windows with the chip's code ranges; on RISC-V, which needs the ELF's call frame
 * information, the crash carries the PC and ra only (marked truncated). {@code heapscope coredump} gives the rest.
 */
final class CoreDumpParser implements LineParser {
    private static final Pattern CORE = LinePattern.compile("on core (\\d+)");
    /** A dump of a few hundred kilobytes prints a few thousand lines: a block without its end is closed here. */
    private static final int MAX_LINES = 50_000;

    private final List<String> block = new ArrayList<>();
    private boolean open;
    private long start;

    @Override
    public boolean open() {
        return open;
    }

    @Override
    public boolean accept(LogLine l, LogSink sink) {
        String t = l.text();
        if (!open) {
            if (!CoreDumpText.START.matcher(t).find()) {
                return false;
            }
            open = true;
            start = l.number();
            block.clear();
            return true;
        }
        if (CoreDumpText.END.matcher(t).find()) {
            finish(sink);
            return true;
        }
        block.add(t);
        if (block.size() >= MAX_LINES) {
            sink.warn(start, "core dump block of more than " + MAX_LINES + " lines without CORE DUMP END: decoded as far as read");
            finish(sink);
        }
        return true;
    }

    @Override
    public void end(LogSink sink) {
        if (open) {
            sink.warn(start, "the log ends inside this core dump: decoded as far as it goes");
            finish(sink);
        }
    }

    private void finish(LogSink sink) {
        open = false;
        CoreDumpText.Found found = CoreDumpText.decode(block, start + 1);
        block.clear();
        for (String w : found.warnings()) {
            sink.warn(start, "core dump: " + w);
        }
        CoreDump dump;
        try {
            dump = CoreDumpDecoder.decode(Path.of("line " + start), found.bytes());
        } catch (CoreDumpException e) {
            sink.damage(start, "core dump not decoded: " + e.getMessage());
            return;
        }
        for (String w : dump.warnings()) {
            sink.warn(start, "core dump: " + w);
        }
        // its heap is read once an ELF gives the layouts, and judged against the failed allocation it may have crashed on
        sink.recording().keepCoreDump(start, new Recording.KeptCoreDump(found.bytes(), sink.lastFailedAllocation()));
        TaskDump task = dump.crashedTask();
        if (task == null) {
            sink.warn(start, "core dump without tasks");
            return;
        }
        TaskInfo info = TaskInfo.read(dump.memory(), task.tcb(), TcbLayout.ESP_IDF_V5);
        StringBuilder reason = new StringBuilder("core dump: ");
        reason.append(dump.panicReason() == null ? "no panic reason" : dump.panicReason());
        reason.append(String.format("; task '%s' (TCB 0x%08x)", info.name() == null ? "?" : info.name(), task.tcb()));
        if (Boolean.TRUE.equals(dump.isrContext())) {
            reason.append(", in an interrupt handler");
        }
        Matcher core = CORE.matcher(dump.panicReason() == null ? "" : dump.panicReason());
        List<Long> pcs = new ArrayList<>();
        BacktraceEnd end;
        if (dump.arch() == Arch.XTENSA) {
            Backtrace bt = new XtensaUnwinder(chipCode(dump)).unwind(task.registers(), dump.memory());
            for (StackFrame f : bt.frames()) { // callers as the panic handler prints them: the call, 3 bytes back
                pcs.add(f.isCaller() ? f.pc() - 3 : f.pc());
            }
            end = bt.stopReason() != null ? BacktraceEnd.CORRUPTED : BacktraceEnd.COMPLETE;
        } else {
            pcs.add(task.pc());
            if (task.registers()[1] != 0) {
                pcs.add(task.registers()[1] - 1); // inside the call that ra returns from
            }
            end = BacktraceEnd.NOT_PRINTED;
        }
        List<Register> registers = new ArrayList<>();
        for (NamedValue r : dump.exceptionRegisters()) {
            if (r.name().equals("exccause") || r.name().equals("excvaddr")) { // as the panic handler names them
                registers.add(new Register(r.name().toUpperCase(Locale.ROOT), r.value()));
            }
        }
        sink.emit(new Crash(sink.timeNs(), core.find() ? Integer.parseInt(core.group(1)) : 0, start, Kind.CORE_DUMP, reason.toString(),
                info.name(), task.pc(), registers, pcs, end, -1, -1));
    }

    /** Without an ELF, code is where the chip maps instructions. */
    private static Code chipCode(CoreDump dump) {
        Chip chip = Chip.parse(dump.chipName()).orElse(Chip.ESP32);
        return new Code() {
            @Override
            public boolean isCode(long address) {
                Region r = chip.codeRegion(address);
                return r == Region.ROM || r == Region.IRAM || r == Region.FLASH_CODE;
            }

            @Override
            public boolean hasBytes(long address, int length) {
                return false;
            }

            @Override
            public int u16(long address) {
                throw new UnsupportedOperationException("no image bytes without an ELF");
            }
        };
    }
}
