package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Condition;
import heapscope.trace.Free;
import heapscope.trace.Overflow;
import heapscope.trace.Snapshot;
import heapscope.trace.StackTable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code heap_trace_dump()} / {@code heap_trace_dump_caps()} output of every ESP-IDF generation
 * (v4.4-v5.0, v5.1-v5.4, v5.5+; grammar in docs/log-formats.md) into a {@link Snapshot} of the records: each
 * record becomes an allocation, followed by a free when the record says it was freed (HEAP_TRACE_ALL). The
 * dump's own summary is checked against what was decoded.
 */
final class HeapTraceDumpParser implements LineParser, Unwrap.Records {
    private static final String HEX = "0x[0-9a-fA-F]{1,8}";
    private static final Pattern HDR_OLD = LinePattern.compile("^(\\d+) allocations trace \\((\\d+) entry buffer\\)$");
    private static final Pattern HDR_NEW = LinePattern.compile("^====== Heap Trace: (\\d+) records \\((\\d+) capacity\\) ======$");
    private static final Pattern FREED_BY = LinePattern.compile("^freed by ((?:" + HEX + ":?)+)\\s*$");
    private static final Pattern SUM_LEAK = LinePattern.compile("^(\\d+) bytes 'leaked' in trace \\((\\d+) allocations\\)$");
    private static final Pattern SUM_ALIVE = LinePattern.compile("^(\\d+) bytes alive in trace \\((\\d+)/(\\d+) allocations\\)$");
    private static final Pattern TOTALS_OLD = LinePattern.compile("^total allocations (\\d+) total frees (\\d+)$");
    private static final Pattern TOTAL_A = LinePattern.compile("^total allocations: (\\d+)$");
    private static final Pattern TOTAL_F = LinePattern.compile("^total frees: (\\d+)$");
    private static final Pattern RECORDS = LinePattern.compile("^records: (\\d+) \\((\\d+) capacity, (\\d+) high water mark\\)$");
    private static final Pattern HASHMAP = LinePattern.compile("^hashmap: (\\d+) capacity \\((\\d+) hits, (\\d+) misses\\)$");
    private static final Pattern MODE = LinePattern.compile("^Mode: Heap Trace (All|Leaks)$");
    private static final String SUMMARY = "====== Heap Trace Summary ======";
    private static final String END = "================================";

    private final CallerList callerList = new CallerList();
    private final TraceRecordReader reader = new TraceRecordReader();
    private final Listings listings = new Listings("heap_trace_dump");
    private final Unwrap unwrap = new Unwrap(this);
    private boolean oldFormat;
    // declared by the dump
    private long declaredRecords;
    private long capacity;
    private long aliveBlocks;
    private long aliveBytes;
    private long totalAllocs;
    private long totalFrees;
    private String mode;
    private boolean overflowed;
    // v4.4-v5.0 print their notes after the totals line, which ends the dump
    private boolean notesFollow;
    private boolean reportedFull;
    // decoded
    private long records;
    private long decodedAliveBlocks;
    private long decodedAliveBytes;
    private long summaryLine;
    // the last record, held until we know whether a "freed by" line follows it
    private boolean pending;
    private long pendingAddress;
    private long pendingSize;
    private int pendingCore;
    private int pendingStack;
    private boolean pendingFreed;
    private Alloc.Memory pendingMemory;
    // its line when it is as wide as the terminal: the next line may be its rest (records are read at once, so that a
    // dump whose records are all as wide as the widest line costs nothing more)
    private LogLine pendingLine;

    @Override
    public boolean open() {
        return listings.open() || unwrap.holding();
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        return unwrap.holding() ? unwrap.accept(line, sink) : read(line, sink, true); // a direct call on the common path
    }

    @Override
    public Unwrap.Shape shape(String text) {
        return text.startsWith("freed by ") ? Unwrap.shape(FREED_BY.matcher(text)) : record(text, null, null, false);
    }

    @Override
    public boolean begins(String text) {
        String t = text.stripLeading();
        return t.contains(" bytes (@ ") || t.startsWith("freed by ") || t.startsWith("=") || t.contains(" allocations trace (")
                || summaryLine(t);
    }

    @Override
    public boolean read(LogLine line, LogSink sink, boolean mayHold) {
        LogLine atWidth = pendingLine; // the next line only may be its rest
        pendingLine = null;
        if (line.record() != null) { // read already (not empty, not logged): its text is not looked at, nor its memory touched
            return record(null, line, sink, true) == Unwrap.Shape.WHOLE;
        }
        String t = line.text();
        if (t.isEmpty()) {
            return listings.open();
        }
        if (line.logged()) {
            return false; // dumps are printed raw; an ESP_LOG line in the middle is another task's output
        }
        char c = t.charAt(0);
        Unwrap.Shape shape = record(t, line, sink, true); // most lines of a dump; it gives up at the first character of most others
        if (shape == Unwrap.Shape.WHOLE) {
            return true;
        }
        LogLine joined = pending && atWidth != null ? unwrap.join(atWidth, line) : null;
        if (joined != null) { // the record read last was cut at the width: read again with its rest
            pending = false;
            records--;
            return read(joined, sink, true);
        }
        if (t.contains(" bytes (@ ")) {
            if (mayHold && unwrap.hold(line, shape)) {
                return true;
            }
            if (listings.open() || t.contains(") allocated CPU")) {
                flush(sink); // a "freed by" line after this one must not attach to the record before it
                sink.warn(line.number(), "garbled heap trace record skipped");
                return true;
            }
            return false;
        }
        if (c == 'f' && t.startsWith("freed by ")) {
            Matcher m = FREED_BY.matcher(t);
            Unwrap.Shape freedBy = Unwrap.shape(m);
            if (mayHold && pending && unwrap.hold(line, freedBy)) {
                return true;
            }
            if (pending && freedBy == Unwrap.Shape.WHOLE) {
                int stack = callerList.intern(m.group(1), sink.recording().stacks());
                emitPending(sink, stack);
            } else if (listings.open()) {
                sink.warn(line.number(), pending ? "garbled 'freed by' line skipped" : "'freed by' line without a record skipped");
            }
            return listings.open() || pending;
        }
        if (c == '=' || Character.isDigit(c)) {
            Matcher h = HDR_NEW.matcher(t);
            if (h.matches()) {
                start(line, sink, false, Long.parseLong(h.group(1)), Long.parseLong(h.group(2)));
                return true;
            }
            h = HDR_OLD.matcher(t);
            if (h.matches()) {
                start(line, sink, true, Long.parseLong(h.group(1)), Long.parseLong(h.group(2)));
                return true;
            }
        }
        if (notesFollow && t.startsWith("(NB: ")) {
            note(t, line, sink);
            fullBuffer(sink);
            return true;
        }
        notesFollow = false;
        if (!listings.open()) {
            return false;
        }
        return summary(t, line, sink);
    }

    /** The dump's notes on itself: entries traced while dumping, a buffer that overflowed. */
    private void note(String t, LogLine line, LogSink sink) {
        if (t.startsWith("(NB: New entries were traced while dumping")) {
            sink.warn(line.number(), "entries were traced while dumping: the dump may list some twice");
        } else if (t.contains("Buffer has overflowed")) {
            overflowed = true;
            sink.warn(line.number(), "the trace buffer overflowed: oldest records were dropped, the dump is incomplete");
        }
    }

    private boolean summary(String t, LogLine line, LogSink sink) {
        if (!summaryLine(t)) {
            return false; // other output interleaved into the dump: someone else's line, and no end of a record
        }
        flush(sink);
        Matcher m;
        if (t.equals(SUMMARY)) {
            return true;
        } else if ((m = MODE.matcher(t)).matches()) {
            mode = m.group(1).equals("All") ? "all" : "leaks";
        } else if ((m = SUM_LEAK.matcher(t)).matches()) {
            aliveBytes = Long.parseLong(m.group(1));
            aliveBlocks = Long.parseLong(m.group(2));
            mode = mode.isEmpty() ? "leaks" : mode;
            summaryLine = line.number();
        } else if ((m = SUM_ALIVE.matcher(t)).matches()) {
            aliveBytes = Long.parseLong(m.group(1));
            aliveBlocks = Long.parseLong(m.group(2));
            mode = mode.isEmpty() ? "all" : mode;
            summaryLine = line.number();
        } else if ((m = RECORDS.matcher(t)).matches()) {
            declaredRecords = Long.parseLong(m.group(1));
            capacity = Long.parseLong(m.group(2));
        } else if (HASHMAP.matcher(t).matches()) {
            return true;
        } else if ((m = TOTAL_A.matcher(t)).matches()) {
            totalAllocs = Long.parseLong(m.group(1));
        } else if ((m = TOTAL_F.matcher(t)).matches()) {
            totalFrees = Long.parseLong(m.group(1));
        } else if ((m = TOTALS_OLD.matcher(t)).matches()) {
            totalAllocs = Long.parseLong(m.group(1));
            totalFrees = Long.parseLong(m.group(2));
            oldFormat = true; // only v4.4-v5.0 print this line, and it is their last but for notes
            finish(line, sink);
            notesFollow = true;
        } else if (t.startsWith("(NB: ")) {
            note(t, line, sink);
        } else if (t.startsWith("Error: heap trace linked list is corrupt")) {
            sink.warn(line.number(), "the device reports its heap trace list is corrupt");
        } else if (t.equals(END)) {
            finish(line, sink);
        }
        return true;
    }

    /** Cheap test for the lines {@link #summary} handles. */
    private static boolean summaryLine(String t) {
        return t.equals(SUMMARY) || t.equals(END) || t.startsWith("Mode: ") || t.startsWith("records: ") || t.startsWith("hashmap: ")
                || t.startsWith("total ") || t.startsWith("(NB: ") || t.startsWith("Error: heap trace")
                || (Character.isDigit(t.charAt(0)) && t.contains(" in trace ("));
    }

    private void start(LogLine line, LogSink sink, boolean old, long count, long cap) {
        if (listings.open()) {
            sink.warn(line.number(), "heap trace dump from line " + listings.startLine() + " has no summary; a new one starts");
            finish(line, sink);
        }
        begin(line, sink, old, "heap_trace_dump");
        declaredRecords = count;
        capacity = cap;
    }

    private void begin(LogLine line, LogSink sink, boolean old, String kind) {
        oldFormat = old;
        declaredRecords = capacity = aliveBlocks = aliveBytes = totalAllocs = totalFrees = -1;
        mode = "";
        overflowed = false;
        notesFollow = false;
        reportedFull = false;
        records = decodedAliveBlocks = decodedAliveBytes = 0;
        summaryLine = -1;
        listings.start(sink, line.number(), kind);
    }

    /**
     * Reads a record line ({@link TraceRecordReader}: most of them were read on the reading thread already) and
     * returns its shape; a whole record is read unless {@code !read} (then {@code line} and {@code sink} may be null).
     */
    private Unwrap.Shape record(String t, LogLine line, LogSink sink, boolean read) {
        TraceRecordReader.Record r = line != null && line.record() != null ? line.record() : reader.read(t);
        if (r == null) {
            return reader.shape();
        }
        if (!read) {
            return Unwrap.Shape.WHOLE;
        }
        if (!listings.open()) { // an excerpt without its header line
            begin(line, sink, false, "heap_trace_dump (no header)");
        }
        flush(sink);
        pending = true;
        pendingAddress = r.address();
        pendingSize = r.size();
        pendingCore = r.cpu();
        pendingStack = r.callers() == null ? 0 : r.callers().stack(sink.recording().stacks());
        pendingFreed = r.freed();
        pendingMemory = r.memory();
        pendingLine = line.atWidth() ? line : null;
        records++;
        return Unwrap.Shape.WHOLE;
    }

    /** Emits the held record: an allocation, plus a free when it was freed ({@code freedStack} >= 0). */
    private void emitPending(LogSink sink, int freedStack) {
        if (!pending) {
            return;
        }
        pending = false;
        long time = sink.timeNs();
        if (pendingAddress == 0) {
            return; // an empty record slot
        }
        sink.emit(new Alloc(time, pendingCore, 0, pendingAddress, pendingSize, pendingStack, pendingMemory));
        if (freedStack >= 0 || pendingFreed) {
            sink.emit(new Free(time, pendingCore, 0, pendingAddress, Math.max(freedStack, 0)));
        } else {
            decodedAliveBlocks++;
            decodedAliveBytes += pendingSize;
        }
    }

    private void flush(LogSink sink) {
        emitPending(sink, -1);
    }

    private void finish(LogLine line, LogSink sink) {
        flush(sink);
        long at = summaryLine > 0 ? summaryLine : line.number();
        if (aliveBlocks >= 0 && (aliveBlocks != decodedAliveBlocks || aliveBytes != decodedAliveBytes)) {
            sink.warn(at, "heap trace dump from line " + listings.startLine() + " says " + aliveBytes + " bytes in " + aliveBlocks
                    + " blocks alive, but " + decodedAliveBytes + " bytes in " + decodedAliveBlocks + " blocks were decoded");
        }
        if (!oldFormat && declaredRecords >= 0 && declaredRecords != records) {
            sink.warn(at, "heap trace dump from line " + listings.startLine() + " announces " + declaredRecords + " records, " + records + " were decoded");
        }
        Snapshot.Declared declared = new Snapshot.Declared(declaredRecords, capacity, aliveBlocks, aliveBytes, totalAllocs, totalFrees,
                mode, overflowed);
        fullBuffer(sink);
        listings.end(sink, declared);
    }

    /**
     * A dump whose record buffer is full, or which says it overflowed, lists only part of the blocks: the device drops
     * its oldest record for every new one. That is an overflow like a trace's, counted as one, with the records lost
     * as far as the dump's totals tell (0 when it prints none).
     */
    private void fullBuffer(LogSink sink) {
        boolean full = capacity > 0 && declaredRecords >= capacity;
        if (!full && !overflowed) {
            return;
        }
        long held = Math.max(records, declaredRecords);
        long lost = totalAllocs < 0 ? 0 : mode.equals("leaks") ? (totalFrees < 0 ? 0 : totalAllocs - totalFrees - held) : totalAllocs - held;
        String what = "the heap trace dump at line " + listings.startLine() + (overflowed ? " says its record buffer overflowed"
                : " fills its record buffer (" + declaredRecords + " of " + capacity + " records)")
                + ": the device dropped its oldest records" + (lost > 0 ? " (at least " + lost + ")" : "")
                + ", so leaked blocks may be missing from the list";
        sink.condition(Condition.Kind.FULL_RECORD_BUFFER, what, "Give heap_trace_init_standalone() a larger record array"
                + (capacity > 0 ? " (more than " + capacity + " records)" : "") + ", or trace a shorter stretch between"
                + " heap_trace_start() and heap_trace_stop().");
        if (!reportedFull) { // a note after the totals of a full v4.4 dump says it again
            reportedFull = true;
            sink.emit(new Overflow(sink.timeNs(), 0, Math.max(0, lost)));
        }
    }

    @Override
    public void end(LogSink sink) {
        unwrap.end(sink);
        if (listings.open()) {
            flush(sink);
            fullBuffer(sink);
            listings.cutOff(sink, new Snapshot.Declared(declaredRecords, capacity, -1, -1, -1, -1, mode, overflowed),
                    "the log ends inside the heap trace dump that starts here");
        }
    }

}
