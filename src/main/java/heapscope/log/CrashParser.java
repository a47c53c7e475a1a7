package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Crash;
import heapscope.trace.Crash.BacktraceEnd;
import heapscope.trace.Crash.Kind;
import heapscope.trace.Crash.Register;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The firmware stopping (docs/log-formats.md): a {@code Guru Meditation Error}, {@code abort() was
 * called at PC ..}, {@code assert failed: ..}, {@code Memory allocation failed} or {@code Mem alloc fail. size ..
 * caps ..} opens a crash; the panic handler's state dump that follows supplies its task, registers and backtrace.
 * The crash is emitted when its backtrace ends (the line after it, as a terminal may have wrapped it onto several),
 * or, when there is none (RISC-V without frame pointer prints a raw {@code Stack memory:} dump), at the end of the
 * handler's output with the register dump's PC (Xtensa) or MEPC and RA (RISC-V) as its backtrace.
 *
 * <p>Pasted logs lose newlines: a crash message or a handler's header inside a line ({@code PC : 0x400813aaGuru
 * Meditation Error: ..}) starts a line of its own, and what came before it is read as the line it was. A crash
 * inside a handler that has not yet printed its backtrace is a crash of its own, nested in the first.
 *
 * <p>A {@code Backtrace:} line without such a message before it is an application calling
 * {@code esp_backtrace_print()} (from an allocation hook, say; its hex is upper-case): the firmware goes on, so it
 * is not a crash and is dropped without a warning. A panic's backtrace (lower-case) without its message is warned of.
 */
final class CrashParser implements LineParser {
    private static final Pattern GURU = LinePattern.compile(
            "Guru Meditation Error:\\s*Core\\s*(\\d+)\\s*panic'ed(?:\\s*\\((.+?)\\)(?:\\.\\s*Exception was unhandled\\.|\\.)?|\\.\\s*$)");
    /** ESP-IDF before v3.1 ("occured" as those versions spell it). */
    private static final Pattern OLD_GURU = LinePattern.compile("Guru Meditation Error of type (\\S+) occurr?ed on core\\s+(\\d+)(?:\\. Exception was unhandled\\.)?");
    private static final Pattern ABORT = LinePattern.compile("abort\\(\\) was called at PC 0x[0-9a-fA-F]{1,8}(?: on core (\\d+))?");
    /** Old newlib's {@code __assert_func} (ESP-IDF before v4.4), which then calls abort(). */
    private static final Pattern OLD_ASSERT = LinePattern.compile("assertion \".*\" failed: file \".*\", line \\d+");
    private static final Pattern ENTRY = LinePattern.compile("0x([0-9a-fA-F]{8}):0x[0-9a-fA-F]{8}");
    private static final Pattern ENTRY_END = LinePattern.compile("0x[0-9a-fA-F]{8}:0x[0-9a-fA-F]{8}$");
    private static final Pattern REG_DUMP = LinePattern.compile("^(?:Core\\s+(\\d+)\\s+)?[Rr]egister dump:");
    /** A register and its value; the value's fixed width lets registers glued by a lost newline or space apart. */
    private static final Pattern REG = LinePattern.compile("([A-Z][A-Z0-9]{0,9})\\s*:\\s*(?:0x)?([0-9a-fA-F]{8})");
    private static final Set<String> EXCEPTION_REGISTERS = Set.of("EXCCAUSE", "EXCVADDR", "MEPC", "RA", "MCAUSE", "MTVAL");
    private static final Pattern STACK_WORDS = LinePattern.compile("^[0-9a-fA-F]{8}:(?: 0x[0-9a-fA-F]{8}){1,8}\\s*$");
    private static final Pattern DETECTED_IN = LinePattern.compile("Detected in task \"(.{1,64}?)\"");
    private static final Pattern CANARY = LinePattern.compile("Stack canary watchpoint triggered \\((.{1,64})\\)");
    private static final Pattern OVERFLOW = LinePattern.compile("A stack overflow in task (.{1,64}?) has been detected");
    /** ESP-IDF's KASAN aborts with this message after its report (log.KasanParser reads the report). */
    private static final String KASAN_ABORT = "KASAN: invalid memory access";
    /** Headers of the handler's output that a lost newline can glue to the line before. */
    private static final String[] INNER = {"Backtrace:", "ELF file SHA256:", "Rebooting...", "Stack memory:", "Debug exception reason:",
            "Detected in task"};
    /** A crash report is short: past this many lines without a backtrace it is closed. */
    private static final int MAX_LINES = 80;
    private static final int MAX_FRAMES = 256;
    /** Longest backtrace or register dump text kept while its wrapped lines are joined. */
    private static final int MAX_TEXT = 8192;
    /** Lines after {@code ELF file SHA256:} that may still hold the backtrace (ESP-IDF v3.x prints it first). */
    private static final int AFTER_ELF_LINES = 4;

    private enum Phase { HEADER, DUMP, STACK, BACKTRACE, AFTER_ELF }

    private boolean pending;
    private Kind kind;
    private String reason;
    private long line;
    private long timeNs;
    private int core;
    private String task;
    private long nestedIn = -1;
    private int lines;
    private Phase phase;
    private int afterElf;
    private final StringBuilder dump = new StringBuilder();
    private final StringBuilder backtrace = new StringBuilder();
    private long backtraceLine;
    /** A crash message a terminal wrapped onto the next line, and its line. */
    private String carry;
    private long carryLine;
    private long carryOuter;
    /** The task a stack-overflow hook named just before the abort it causes. */
    private String overflowTask;
    private long overflowLine;
    /** After a crash: the other core's register dump and backtrace, which belong to its report. */
    private int tail;

    @Override
    public boolean open() {
        return pending || carry != null || tail > 0;
    }

    @Override
    public boolean accept(LogLine l, LogSink sink) {
        String t = l.text();
        if (carry != null) { // the rest of a wrapped crash message: joined as the terminal cut it
            String joined = carry + t;
            carry = null;
            return start(joined, 0, carryLine, carryOuter, sink);
        }
        int at = triggerAt(t);
        if (at >= 0) {
            if (pending && at > 0) {
                inside(t.substring(0, at).strip(), l.number(), sink); // the open crash's last words, e.g. its PC
            }
            return start(t, at, l.number(), -2, sink);
        }
        if (pending) {
            return inside(t.strip(), l.number(), sink);
        }
        String s = t.strip();
        if (tail > 0 && otherCore(s)) {
            return true;
        }
        tail = 0;
        if (s.contains("stack overflow in task")) {
            Matcher m = OVERFLOW.matcher(s);
            if (m.find()) {
                overflowTask = m.group(1);
                overflowLine = l.number();
            }
            return false;
        }
        if (s.startsWith("Backtrace:")) {
            if (hasLowerHex(s)) {
                sink.warn(l.number(), "a panic's backtrace without the crash message before it: not read as a crash");
            }
            return true; // esp_backtrace_print() outside a crash (upper-case hex): not a crash, nothing to say
        }
        return false;
    }

    /** Where a message that stops the firmware starts in the line, or -1. */
    private static int triggerAt(String t) {
        int i;
        if ((i = t.indexOf("Guru Meditation Error")) >= 0 || (i = t.indexOf("abort() was called")) >= 0
                || (i = t.indexOf("assert failed: ")) >= 0 || (i = t.indexOf("assertion \"")) >= 0
                || (i = t.indexOf("Memory allocation failed")) >= 0 || (i = t.indexOf("Mem alloc fail.")) >= 0
                || (i = t.indexOf(KASAN_ABORT)) >= 0) {
            return i;
        }
        return -1;
    }

    /**
     * Opens a crash on the message at {@code t[at..]}; false when it is not one after all (the line goes on to
     * others). {@code outer} is the line of the crash the message is nested in, -1 for none, -2 when still to be
     * found (a joined message has found it already).
     */
    private boolean start(String t, int at, long number, long outer, LogSink sink) {
        boolean joined = outer != -2;
        String s = t.substring(at);
        String why = null;
        Kind k = null;
        int onCore = -1;
        int end = s.length();
        Matcher m;
        if (s.startsWith("Guru Meditation Error:") && (m = GURU.matcher(s)).lookingAt()) {
            k = Kind.PANIC;
            why = m.group(2) == null ? "unknown exception" : m.group(2);
            onCore = Integer.parseInt(m.group(1));
            end = m.end();
        } else if (!joined && s.startsWith("Guru Meditation Error:") && s.length() < 200 && !s.contains(")")) {
            carry = s; // "...panic'ed (LoadProhib": the rest is on the next line
            carryLine = number;
            carryOuter = closeForNested(sink);
            return true;
        } else if (s.startsWith("Guru Meditation Error of type") && (m = OLD_GURU.matcher(s)).lookingAt()) {
            k = Kind.PANIC;
            why = m.group(1);
            onCore = Integer.parseInt(m.group(2));
            end = m.end();
        } else if (s.startsWith("abort() was called") && (m = ABORT.matcher(s)).lookingAt()) {
            k = Kind.ABORT;
            why = m.group();
            onCore = m.group(1) == null ? -1 : Integer.parseInt(m.group(1));
            end = m.end();
        } else if (s.startsWith("assert failed: ")) {
            k = Kind.ASSERT;
            why = s.strip();
        } else if (s.startsWith("assertion \"") && (m = OLD_ASSERT.matcher(s)).lookingAt()) {
            k = Kind.ASSERT;
            why = s.strip();
        } else if (s.startsWith("Memory allocation failed")) {
            k = Kind.ALLOCATION_FAILURE;
            why = "Memory allocation failed";
            end = "Memory allocation failed".length();
        } else if (s.startsWith(KASAN_ABORT)) {
            k = Kind.ABORT;
            why = KASAN_ABORT;
            end = KASAN_ABORT.length();
        } else if (s.startsWith("Mem alloc fail.") && (m = FailedAllocation.MEM_FAIL.matcher(s)).lookingAt()) {
            k = Kind.ALLOCATION_FAILURE;
            why = m.group();
            end = m.end();
            sink.emit(Alloc.failed(sink.timeNs(), Num.hex(m.group(1)), Num.hex(m.group(2))));
        }
        if (why == null) {
            if (s.startsWith("Guru Meditation")) {
                sink.warn(number, "damaged crash message: not read");
                return true;
            }
            return pending && inside(t.strip(), number, sink);
        }
        if (pending && kind != Kind.PANIC && k == Kind.ABORT && phase == Phase.HEADER && lines <= 4) {
            // old newlib prints its assertion and then abort()'s line: one crash, named by the first message
            core = onCore >= 0 ? onCore : core;
            return true;
        }
        long nested = joined ? outer : closeForNested(sink);
        pending = true;
        kind = k;
        reason = why;
        line = number;
        timeNs = sink.timeNs();
        core = Math.max(onCore, 0);
        task = overflowTask != null && number - overflowLine <= 3 ? overflowTask : null;
        overflowTask = null;
        nestedIn = nested;
        lines = 0;
        phase = Phase.HEADER;
        dump.setLength(0);
        backtrace.setLength(0);
        tail = 0;
        String rest = s.substring(end).strip();
        if (!rest.isEmpty()) {
            inside(rest, number, sink); // "...unhandled.Core  0 register dump:": glued by a lost newline
        }
        return true;
    }

    /**
     * Closes the open crash because another starts: inside its handler (before its backtrace) the new one is nested
     * in it. Returns the line the new crash is nested in, or -1.
     */
    private long closeForNested(LogSink sink) {
        if (!pending) {
            return -1;
        }
        if (phase == Phase.BACKTRACE) {
            finishBacktrace(sink);
            return -1;
        }
        boolean nested = phase == Phase.HEADER || phase == Phase.DUMP;
        long outer = line;
        emit(sink, registersBacktrace(), BacktraceEnd.NOT_PRINTED);
        return nested ? outer : -1;
    }

    /** A line of the open crash's handler output; false when it is not one (then other parsers see it). */
    private boolean inside(String s, long number, LogSink sink) {
        for (String marker : INNER) {
            int k = s.indexOf(marker);
            if (k > 0) { // glued by a lost newline: two lines
                boolean first = inside(s.substring(0, k).strip(), number, sink);
                return (pending ? inside(s.substring(k), number, sink) : accept(new LogLine(number, s.substring(k), (char) 0, -1, null, -1, false), sink)) || first;
            }
        }
        lines++;
        if (phase == Phase.BACKTRACE) {
            if (s.startsWith("Backtrace ended abruptly")) {
                finishBacktrace(sink, BacktraceEnd.CORRUPTED);
                return true;
            }
            if (continuation(s) && (midEntry() || s.startsWith("0x") || s.startsWith("|<-")) && backtrace.length() + s.length() <= MAX_TEXT) {
                backtrace.append(s); // a terminal wrapped it; a cut inside an entry joins back as it was
                return true;
            }
            finishBacktrace(sink);
            tail = 8;
            return !s.isEmpty() && otherCore(s) || s.isEmpty();
        }
        if (s.startsWith("Backtrace:")) {
            phase = Phase.BACKTRACE;
            backtrace.setLength(0);
            backtrace.append(s, "Backtrace:".length(), Math.min(s.length(), MAX_TEXT));
            backtraceLine = number;
            return true;
        }
        if (s.isEmpty()) {
            return true;
        }
        Matcher m = REG_DUMP.matcher(s);
        if (m.find()) {
            if (phase == Phase.HEADER) {
                phase = Phase.DUMP;
                core = m.group(1) == null ? core : Integer.parseInt(m.group(1));
            }
            return true;
        }
        if (phase == Phase.DUMP && registerText(s)) {
            if (dump.length() + s.length() <= MAX_TEXT) {
                dump.append(s); // joined without a blank, so a value a terminal wrapped joins back
            }
            return true;
        }
        if (s.startsWith("Debug exception reason:") || s.startsWith("Detected in task")) {
            Matcher t = (s.startsWith("Detected") ? DETECTED_IN : CANARY).matcher(s);
            if (t.find()) {
                task = t.group(1);
            }
            return true;
        }
        if (s.equals("Stack memory:")) {
            phase = Phase.STACK;
            return true;
        }
        if (phase == Phase.STACK && STACK_WORDS.matcher(s).matches()) {
            return true;
        }
        if (s.startsWith("ELF file SHA256:")) {
            if (phase == Phase.STACK) { // RISC-V printed its stack instead of a backtrace: none comes
                emit(sink, registersBacktrace(), BacktraceEnd.NOT_PRINTED);
            } else {
                phase = Phase.AFTER_ELF; // ESP-IDF v3.x prints its backtrace after this line: wait for it
                afterElf = 0;
            }
            return false; // the boot banner parser records which firmware ran
        }
        if (s.startsWith("Rebooting") || s.equals("CPU halted.") || s.startsWith("Entering gdb stub") || s.startsWith("ESP-ROM:")
                || s.startsWith("ets ") || s.startsWith("rst:") || lines > MAX_LINES
                || phase == Phase.AFTER_ELF && ++afterElf > AFTER_ELF_LINES) {
            emit(sink, registersBacktrace(), BacktraceEnd.NOT_PRINTED);
        }
        return false; // the handler's other lines, or other output: left to the other parsers
    }

    /** The other core's state after a crash's backtrace: consumed with the crash's report; false ends it. */
    private boolean otherCore(String s) {
        if (s.isEmpty() || REG_DUMP.matcher(s).find() || registerText(s) && s.indexOf(':') >= 0 || s.startsWith("Backtrace:")
                || continuation(s) && s.contains("0x")) {
            tail--;
            return true;
        }
        tail = 0;
        return false;
    }

    /** Only what a backtrace line holds: hex entries, colons, blanks and its end markers (or the end of one). */
    private static boolean continuation(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if ("|<-CORRUPTED".endsWith(s) || "|<-CONTINUES".endsWith(s)) {
            return true;
        }
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'Z' || c == 'x' || c == ':' || c == ' ' || c == '|'
                    || c == '<' || c == '-')) {
                return false;
            }
            digit |= c >= '0' && c <= '9';
        }
        return digit;
    }

    /** Whether the backtrace read so far stops inside an entry or marker, as a terminal's wrap leaves it. */
    private boolean midEntry() {
        String s = backtrace.toString().stripTrailing();
        return !(s.endsWith("|<-CORRUPTED") || s.endsWith("|<-CONTINUES") || ENTRY_END.matcher(s).find());
    }

    /** Only what a register dump line holds: upper-case names, hex values, colons and blanks. */
    private static boolean registerText(String s) {
        boolean value = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'Z' || c == 'x' || c == ':' || c == ' ')) {
                return false;
            }
            value |= c >= '0' && c <= '9';
        }
        return value;
    }

    private static boolean hasLowerHex(String s) {
        for (Matcher m = ENTRY.matcher(s); m.find(); ) {
            for (int i = m.start() + 2; i < m.end(); i++) {
                char c = s.charAt(i);
                if (c >= 'A' && c <= 'F') {
                    return false;
                }
                if (c >= 'a' && c <= 'f') {
                    return true;
                }
            }
        }
        return false;
    }

    private void finishBacktrace(LogSink sink) {
        finishBacktrace(sink, null);
    }

    /** Reads the joined backtrace text and emits the crash; {@code known} is an end the next line told. */
    private void finishBacktrace(LogSink sink, BacktraceEnd known) {
        String s = backtrace.toString();
        List<Long> pcs = new ArrayList<>();
        Matcher m = ENTRY.matcher(s);
        int last = 0;
        StringBuilder rest = new StringBuilder();
        while (m.find() && pcs.size() < MAX_FRAMES) {
            pcs.add(Num.hex(m.group(1)));
            rest.append(s, last, m.start());
            last = m.end();
        }
        String after = s.substring(last);
        BacktraceEnd end = after.contains("|<-CORRUPTED") ? BacktraceEnd.CORRUPTED
                : after.contains("|<-CONTINUES") ? BacktraceEnd.CONTINUES : BacktraceEnd.COMPLETE;
        String tailText = after.replace("|<-CORRUPTED", "").replace("|<-CONTINUES", "");
        // a quote, bracket or bar a paste left after the last entry is no part of the backtrace
        tailText = tailText.replaceAll("^[\\s)\\]|\"'`>.]+|[\\s)\\]|\"'`>.]+$", "");
        String garbage = rest.toString().strip();
        if (!tailText.isEmpty() && garbage.isEmpty() && tailText.matches("0x[0-9a-fA-F]{0,8}(?::(?:0x[0-9a-fA-F]{0,8})?)?")) {
            sink.warn(backtraceLine, "backtrace cut inside an entry: " + pcs.size() + " intact entries kept");
            end = BacktraceEnd.CUT;
        } else if (!tailText.isEmpty() || !garbage.isEmpty()) {
            sink.warn(backtraceLine, "damaged backtrace line: " + pcs.size() + " intact entries kept");
            end = BacktraceEnd.CUT;
        }
        emit(sink, pcs, known != null ? known : end);
    }

    /** The registers' program counters, for a crash without a backtrace line. */
    private List<Long> registersBacktrace() {
        List<Long> pcs = new ArrayList<>(2);
        long pc = pc();
        if (pc >= 0) {
            pcs.add(pc);
        }
        for (Register r : registers()) {
            if (r.name().equals("RA")) {
                pcs.add(r.value());
            }
        }
        return pcs;
    }

    private long pc() {
        for (Matcher r = REG.matcher(dump); r.find(); ) {
            if (r.group(1).equals("PC") || r.group(1).equals("MEPC")) {
                return Num.hex(r.group(2));
            }
        }
        return -1;
    }

    private List<Register> registers() {
        List<Register> out = new ArrayList<>();
        for (Matcher r = REG.matcher(dump); r.find(); ) {
            if (EXCEPTION_REGISTERS.contains(r.group(1)) && out.stream().noneMatch(x -> x.name().equals(r.group(1)))) {
                out.add(new Register(r.group(1), Num.hex(r.group(2))));
            }
        }
        return out;
    }

    private void emit(LogSink sink, List<Long> pcs, BacktraceEnd end) {
        sink.emit(new Crash(timeNs, core, line, kind, reason, task, pc(), registers(), pcs, end, nestedIn, -1));
        pending = false;
        phase = Phase.HEADER;
        dump.setLength(0);
        backtrace.setLength(0);
    }

    @Override
    public void end(LogSink sink) {
        if (carry != null) {
            sink.warn(carryLine, "the log ends inside a crash message: not read");
            carry = null;
        }
        if (pending && phase == Phase.BACKTRACE) {
            finishBacktrace(sink);
        } else if (pending) {
            sink.warn(line, "the log ends before the backtrace of this crash");
            emit(sink, registersBacktrace(), BacktraceEnd.CUT);
        }
    }
}
