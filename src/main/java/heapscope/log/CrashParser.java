package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Crash;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The firmware stopping (docs/log-formats.md): a {@code Guru Meditation Error}, {@code abort() was
 * called at PC ..}, {@code assert failed: ..}, {@code Memory allocation failed} or {@code Mem alloc fail. size ..
 * caps ..} opens a crash; the panic handler's state dump that follows supplies its backtrace. The crash is emitted
 * at the {@code Backtrace:} line, or, when there is none (RISC-V without frame pointer prints a raw
 * {@code Stack memory:} dump), at the end of the dump with the register dump's PC (Xtensa) or MEPC and RA
 * (RISC-V) as a truncated backtrace.
 *
 * <p>A {@code Backtrace:} line without such a message before it is an application calling
 * {@code esp_backtrace_print()} (from an allocation hook, say): the firmware goes on, so it is not a crash; it is
 * recognised and dropped without a warning.
 */
final class CrashParser implements LineParser {
    private static final Pattern GURU = LinePattern.compile("Guru Meditation Error: Core\\s+(\\d+) panic'ed \\((.+?)\\)(?:\\. |\\.?\\s*$)");
    /** ESP-IDF before v3.1. */
    private static final Pattern OLD_GURU = LinePattern.compile("Guru Meditation Error of type (\\S+) occurred on core\\s+(\\d+)");
    private static final Pattern ABORT = LinePattern.compile("abort\\(\\) was called at PC 0x[0-9a-fA-F]{1,8}(?: on core (\\d+))?");
    private static final Pattern MEM_FAIL = LinePattern.compile("Mem alloc fail\\. size 0x([0-9a-fA-F]{1,8}) caps 0x[0-9a-fA-F]{1,8}");
    /** Old newlib's {@code __assert_func} (ESP-IDF before v4.4), which then calls abort(). */
    private static final Pattern OLD_ASSERT = LinePattern.compile("assertion \".*\" failed: file \".*\", line \\d+");
    private static final Pattern ENTRY = LinePattern.compile("0x([0-9a-fA-F]{8}):0x[0-9a-fA-F]{8}");
    private static final Pattern REG_DUMP = LinePattern.compile("^Core\\s+(\\d+) register dump:");
    private static final Pattern REG = LinePattern.compile("\\b(PC|MEPC|RA)\\s+: 0x([0-9a-fA-F]{8})");
    private static final Pattern STACK_WORDS = LinePattern.compile("^[0-9a-fA-F]{8}:(?: 0x[0-9a-fA-F]{8}){1,8}\\s*$");
    /** A crash report is short: past this many lines without a backtrace it is closed. */
    private static final int MAX_LINES = 80;
    private static final int MAX_FRAMES = 256;

    private boolean pending;
    private String reason;
    private long line;
    private long timeNs;
    private int core;
    private int lines;
    private boolean inDump;
    private boolean inStack;
    private long pc = -1;
    private long ra = -1;

    @Override
    public boolean open() {
        return pending;
    }

    @Override
    public boolean accept(LogLine l, LogSink sink) {
        String t = l.text();
        if (trigger(t, l, sink)) {
            return true;
        }
        if (!pending) {
            return t.startsWith("Backtrace:"); // esp_backtrace_print() outside a crash: not a crash, nothing to say
        }
        lines++;
        String s = t.strip();
        if (s.startsWith("Backtrace:")) {
            backtrace(s, l, sink);
            return true;
        }
        if (s.isEmpty()) {
            return true;
        }
        Matcher m = REG_DUMP.matcher(s);
        if (m.find()) {
            inDump = true;
            core = Integer.parseInt(m.group(1));
            return true;
        }
        if (inDump && s.contains(": 0x")) {
            for (Matcher r = REG.matcher(s); r.find(); ) {
                long v = Num.hex(r.group(2));
                if (r.group(1).equals("RA")) {
                    ra = v;
                } else {
                    pc = v;
                }
            }
            return true;
        }
        if (s.equals("Stack memory:")) {
            inDump = false;
            inStack = true;
            return true;
        }
        if (inStack && STACK_WORDS.matcher(s).matches()) {
            return true;
        }
        if (s.startsWith("ELF file SHA256:") || s.startsWith("Rebooting") || s.equals("CPU halted.") || s.startsWith("Entering gdb stub")
                || s.startsWith("ESP-ROM:") || s.startsWith("ets ") || s.startsWith("rst:") || lines > MAX_LINES) {
            emit(sink, registers(), true);
        }
        return false; // the handler's other lines, or other output: left to the other parsers
    }

    /** Opens a crash on one of the messages that stop the firmware; true when the line was one. */
    private boolean trigger(String t, LogLine l, LogSink sink) {
        String why = null;
        int onCore = -1;
        Matcher m;
        int i;
        if (t.contains("Guru Meditation Error") && (m = GURU.matcher(t)).find()) {
            why = m.group(2);
            onCore = Integer.parseInt(m.group(1));
        } else if (t.contains("Guru Meditation Error of type") && (m = OLD_GURU.matcher(t)).find()) {
            why = m.group(1);
            onCore = Integer.parseInt(m.group(2));
        } else if (t.contains("abort() was called") && (m = ABORT.matcher(t)).find()) {
            why = m.group();
            onCore = m.group(1) == null ? -1 : Integer.parseInt(m.group(1));
        } else if ((i = t.indexOf("assert failed: ")) >= 0) {
            why = t.substring(i).strip();
        } else if (t.contains("assertion \"") && (m = OLD_ASSERT.matcher(t)).find()) {
            why = t.substring(m.start()).strip();
        } else if (t.contains("Memory allocation failed")) {
            why = "Memory allocation failed";
        } else if (t.contains("Mem alloc fail.") && (m = MEM_FAIL.matcher(t)).find()) {
            why = m.group();
            sink.emit(new Alloc(sink.timeNs(), 0, 0, 0, Num.hex(m.group(1)), 0));
        }
        if (why == null) {
            return false;
        }
        if (pending && !inDump && !inStack && lines <= 4) {
            // old newlib prints its assertion and then abort()'s line: one crash, named by the first message
            core = onCore >= 0 ? onCore : core;
            return true;
        }
        if (pending) {
            emit(sink, registers(), true);
        }
        pending = true;
        reason = why;
        line = l.number();
        timeNs = sink.timeNs();
        core = Math.max(onCore, 0);
        lines = 0;
        inDump = inStack = false;
        pc = ra = -1;
        return true;
    }

    private void backtrace(String s, LogLine l, LogSink sink) {
        List<Long> pcs = new ArrayList<>();
        Matcher m = ENTRY.matcher(s);
        while (m.find() && pcs.size() < MAX_FRAMES) {
            pcs.add(Num.hex(m.group(1)));
        }
        boolean truncated = s.contains("|<-CORRUPTED") || s.contains("|<-CONTINUES");
        String rest = ENTRY.matcher(s.substring("Backtrace:".length())).replaceAll("")
                .replace("|<-CORRUPTED", "").replace("|<-CONTINUES", "").strip();
        if (!rest.isEmpty()) {
            sink.warn(l.number(), "damaged backtrace line: " + pcs.size() + " intact entries kept");
            truncated = true;
        }
        emit(sink, pcs, truncated);
    }

    /** The registers' program counters, for a crash without a backtrace line. */
    private List<Long> registers() {
        List<Long> pcs = new ArrayList<>(2);
        if (pc >= 0) {
            pcs.add(pc);
        }
        if (ra >= 0) {
            pcs.add(ra);
        }
        return pcs;
    }

    private void emit(LogSink sink, List<Long> backtrace, boolean truncated) {
        sink.emit(new Crash(timeNs, core, line, reason, List.copyOf(backtrace), truncated));
        pending = false;
        inDump = inStack = false;
    }

    @Override
    public void end(LogSink sink) {
        if (pending) {
            sink.warn(line, "the log ends before the backtrace of this crash");
            emit(sink, registers(), true);
        }
    }
}
