package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.Free;
import heapscope.trace.Snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text printed by ESP-IDF's {@code sysviewtrace_proc.py -p} (docs/log-formats.md), which users paste as
 * "the log": {@code [ts] HEAP: Allocated N bytes @ ADDR from task "T" on core C by: CALLERS} and
 * {@code [ts] HEAP: Freed bytes @ ADDR ...}, each followed (with {@code -b}) by addr2line's file:line lines, which
 * carry no addresses and are skipped. The {@code HEAP TRACE REPORT} section lists the leaked blocks again: it is a
 * {@link Snapshot}, checked against its {@code Found N leaked bytes in M blocks.} line.
 */
final class SysviewProcParser implements LineParser, Unwrap.Records {
    private static final Pattern EVENT = LinePattern.compile("^\\[(\\d{1,9})\\.(\\d{9})\\] HEAP: (?:Allocated (\\d{1,12}) bytes|Freed bytes) @ 0x([0-9a-fA-F]{1,8})"
            + " from (task|IRQ) \"([^\"]*)\" on core (\\d) by:\\s*((?:0x[0-9a-fA-F]{1,8}:?)*)\\s*$");
    /** An addr2line line of {@code -b}: a Windows path or FILE:LINE (a Unix path or "??:" is told by its start). */
    private static final Pattern LOCATION = LinePattern.compile("[A-Za-z]:[/\\\\]|\\S+:\\d");
    private static final String REPORT = "=============== HEAP TRACE REPORT ===============";
    private static final Pattern FOUND = LinePattern.compile("^Found (\\d{1,12}) leaked bytes in (\\d{1,10}) blocks\\.$");

    private final CallerList callerList = new CallerList();
    private final Unwrap unwrap = new Unwrap(this);
    private final Listings listings = new Listings("sysviewtrace_proc report");
    private boolean locations; // addr2line lines of the last event follow
    private boolean wrongFree;
    private long blocks;
    private long bytes;

    @Override
    public boolean open() {
        return locations || listings.open() || unwrap.holding();
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        return unwrap.holding() ? unwrap.accept(line, sink) : read(line, sink, true); // a direct call on the common path
    }

    @Override
    public Unwrap.Shape shape(String text) {
        return event(text) ? Unwrap.shape(EVENT.matcher(text)) : Unwrap.Shape.OTHER;
    }

    @Override
    public boolean begins(String text) {
        return event(text) || text.startsWith("=====") || text.startsWith("Found ") || text.startsWith("Processed ")
                || text.startsWith("Possible wrong free") || text.startsWith("OK - Heap");
    }

    private static boolean event(String t) {
        return t.startsWith("[") && t.contains("] HEAP: ");
    }

    @Override
    public boolean read(LogLine line, LogSink sink, boolean mayHold) {
        String t = line.text();
        if (event(t)) {
            Matcher m = EVENT.matcher(t);
            Unwrap.Shape shape = Unwrap.shape(m);
            if (mayHold && unwrap.hold(line, shape)) {
                return true;
            }
            if (shape != Unwrap.Shape.WHOLE) {
                sink.warn(line.number(), "damaged sysviewtrace_proc heap event skipped");
                locations = true;
                return true;
            }
            event(m, sink);
            locations = true;
            return true;
        }
        if (t.equals(REPORT)) {
            end(sink);
            blocks = bytes = 0;
            listings.start(sink, line.number());
            return true;
        }
        if (!locations && !listings.open()) {
            return false;
        }
        if (t.isEmpty()) {
            locations = false;
            return true;
        }
        if (locations && (t.startsWith("/") || t.startsWith("??:") || LOCATION.matcher(t).lookingAt())) {
            sink.recording().noCallersBecause("sysviewtrace_proc.py -b printed them as source lines without their"
                    + " addresses; give heapscope the .svdat files (and --elf) for call stacks");
            return true;
        }
        locations = false;
        if (!listings.open()) {
            return false;
        }
        Matcher m;
        if (t.equals("Possible wrong free operation found")) {
            wrongFree = true; // the event line that follows repeats a free, it is not a new one
        } else if ((m = FOUND.matcher(t)).matches()) {
            long declaredBytes = Long.parseLong(m.group(1));
            long declaredBlocks = Long.parseLong(m.group(2));
            if (declaredBytes != bytes || declaredBlocks != blocks) {
                sink.warn(line.number(), "the report says " + declaredBytes + " leaked bytes in " + declaredBlocks + " blocks, but "
                        + bytes + " bytes in " + blocks + " blocks were decoded");
            }
            finish(sink, new Snapshot.Declared(-1, -1, declaredBlocks, declaredBytes, -1, -1, "", false));
        } else if (t.startsWith("OK - Heap errors was not found")) {
            finish(sink, new Snapshot.Declared(-1, -1, 0, 0, -1, -1, "", false));
        } else if (!t.startsWith("Processed ") && !t.startsWith("=====")) {
            return false;
        }
        return true;
    }

    private void event(Matcher m, LogSink sink) {
        long timeNs = Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(m.group(2));
        int context = sink.recording().contexts().intern(m.group(5).equals("task") ? Context.Kind.TASK : Context.Kind.ISR, m.group(6));
        int core = m.group(7).charAt(0) - '0';
        long address = Num.hex(m.group(4));
        int stack = callerList.intern(m.group(8), sink.recording().stacks());
        if (m.group(3) != null) {
            sink.emit(new Alloc(timeNs, core, context, address, Long.parseLong(m.group(3)), stack));
            if (listings.open()) {
                blocks++;
                bytes += Long.parseLong(m.group(3));
            }
        } else if (!wrongFree) {
            sink.emit(new Free(timeNs, core, context, address, stack));
        }
        wrongFree = false;
    }

    private void finish(LogSink sink, Snapshot.Declared declared) {
        listings.end(sink, declared);
    }

    @Override
    public void end(LogSink sink) {
        unwrap.end(sink);
        locations = false;
        if (listings.open()) {
            listings.cutOff(sink, Snapshot.Declared.NONE, "the log ends inside this heap trace report");
        }
    }

}
