package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The community leak tracker's report ({@code leak_tracker_end()}, docs/log-formats.md "Leak tracker report"):
 * a {@code LEAKED ALLOCATIONS} banner, {@code --- LEAK #n ---} records (address with its memory type, size, a
 * caller list from frame-pointer unwinding or "not captured"), a {@code LEAK SUMMARY} and the
 * {@code Current heap status}. The records become a {@link Snapshot} of allocations, the heap status lines
 * {@link HeapSample}s, and the summary's figures are checked against what was decoded.
 */
final class LeakTrackerParser implements LineParser {
    private static final Pattern RECORDS = LinePattern.compile("^Heap trace leak records: (\\d{1,10})$");
    private static final Pattern LEAK = LinePattern.compile("^--- LEAK #(\\d{1,10}) ---$");
    private static final Pattern ADDRESS = LinePattern.compile("^Address: 0x([0-9a-fA-F]{1,8})(?: \\((\\w+)\\))?$");
    private static final Pattern SIZE = LinePattern.compile("^Size: (\\d{1,12}) bytes$");
    private static final Pattern CALLERS = LinePattern.compile("^0x[0-9a-fA-F]{1,8}(?::0x[0-9a-fA-F]{1,8})*:?$");
    private static final Pattern TOTAL = LinePattern.compile("^Total leaks: (\\d{1,10}) allocations, (\\d{1,12}) bytes(?: \\(.*\\))?$");
    private static final Pattern PER_TYPE = LinePattern.compile("^(Internal RAM|PSRAM|DMA): (\\d{1,10}) allocations$");
    private static final Pattern TRACES = LinePattern.compile("^Backtraces found: (\\d{1,10}) / (\\d{1,10})$");
    private static final Pattern STATUS = LinePattern.compile("^(Internal|PSRAM) free: (\\d{1,12}) ?(bytes|B|KB|KiB|MB)$");
    /** Lines of other output tolerated inside a report before it is given up as cut off. */
    private static final int MAX_FOREIGN = 200;

    private final CallerList callerList = new CallerList();
    private final Listings listings = new Listings("leak tracker");
    private boolean inSummary;
    private boolean inStatus;
    private int summaryRules;
    private boolean awaitingCallers;
    private int foreign;
    private long declaredRecords;
    // the record being read
    private boolean record;
    private long recordLine;
    private long address = -1;
    private long size = -1;
    private int stack;
    private Alloc.Memory memory;
    // decoded, for the summary check
    private long blocks;
    private long bytes;
    private long internal;
    private long psram;
    private long withStack;
    private long summaryLine;
    private long totalLeaks;
    private long totalBytes;

    @Override
    public boolean open() {
        return listings.open();
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String s = line.text().strip();
        if (s.equals("LEAKED ALLOCATIONS")) {
            if (listings.open()) {
                finish(line.number(), sink, "leak tracker report from line " + listings.startLine() + " has no summary; a new one starts");
            }
            begin(line, sink);
            return true;
        }
        if (!listings.open()) {
            return false;
        }
        if (s.isEmpty() || s.chars().allMatch(c -> c == '=')) {
            // the summary has a rule under its title and one closing the report
            if (!s.isEmpty() && inSummary && ++summaryRules >= 2) {
                finish(line.number(), sink, null);
            }
            return true;
        }
        if (line.logged()) {
            return false;
        }
        Matcher m;
        if (awaitingCallers) {
            awaitingCallers = false;
            if (CALLERS.matcher(s).matches()) {
                stack = callerList.intern(s, sink.recording().stacks());
                return true;
            }
            sink.warn(line.number(), "leak #" + recordLine + ": caller list expected after 'Backtrace (...)'; none taken");
        }
        if ((m = LEAK.matcher(s)).matches()) {
            flush(sink);
            record = true;
            recordLine = line.number();
            address = size = -1;
            stack = 0;
            memory = Alloc.Memory.UNSTATED;
        } else if (s.startsWith("Address:")) {
            if ((m = ADDRESS.matcher(s)).matches() && record) {
                address = Num.hex(m.group(1));
                memory = memoryOf(m.group(2));
            } else {
                sink.warn(line.number(), "damaged leak record address line skipped");
            }
        } else if (s.startsWith("Size:")) {
            if ((m = SIZE.matcher(s)).matches() && record) {
                size = Long.parseLong(m.group(1));
            } else {
                sink.warn(line.number(), "damaged leak record size line skipped");
            }
        } else if (s.startsWith("Backtrace")) {
            awaitingCallers = s.endsWith(":") && !s.startsWith("Backtrace: (");
            if (s.startsWith("Backtrace: (")) {
                String why = s.substring("Backtrace: (".length(), s.endsWith(")") ? s.length() - 1 : s.length());
                sink.recording().noCallersBecause("the leak tracker printed '" + why + "'");
            }
        } else if ((m = RECORDS.matcher(s)).matches()) {
            declaredRecords = Long.parseLong(m.group(1));
        } else if (s.startsWith("Backtraces captured:")) {
            return true;
        } else if (s.equals("LEAK SUMMARY")) {
            flush(sink);
            inSummary = true;
        } else if (inSummary && (m = TOTAL.matcher(s)).matches()) {
            totalLeaks = Long.parseLong(m.group(1));
            totalBytes = Long.parseLong(m.group(2));
            summaryLine = line.number();
        } else if (inSummary && (m = PER_TYPE.matcher(s)).matches()) {
            long n = Long.parseLong(m.group(2));
            long decoded = m.group(1).equals("PSRAM") ? psram : m.group(1).equals("DMA") ? -1 : internal;
            if (decoded >= 0 && n != decoded) {
                sink.warn(line.number(), "leak summary counts " + n + " " + m.group(1) + " allocations, " + decoded + " were decoded");
            }
        } else if (inSummary && (m = TRACES.matcher(s)).matches()) {
            if (Long.parseLong(m.group(1)) != withStack) {
                sink.warn(line.number(), "leak summary counts " + m.group(1) + " backtraces, " + withStack + " were decoded");
            }
        } else if (s.equals("Current heap status:")) {
            inStatus = true;
        } else if (inStatus && (m = STATUS.matcher(s)).matches()) {
            sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), m.group(1).equals("PSRAM") ? "psram" : "internal",
                    Num.bytes(m.group(2), m.group(3)), -1, -1, -1));
        } else {
            if (++foreign > MAX_FOREIGN) {
                cutOff(sink, "the leak tracker report that starts here is cut off by other output at line " + line.number());
            }
            return false; // other output interleaved
        }
        foreign = 0;
        return true;
    }

    private void begin(LogLine line, LogSink sink) {
        inSummary = inStatus = awaitingCallers = record = false;
        summaryRules = 0;
        foreign = 0;
        declaredRecords = totalLeaks = totalBytes = summaryLine = -1;
        blocks = bytes = internal = psram = withStack = 0;
        listings.start(sink, line.number());
    }

    private void flush(LogSink sink) {
        if (!record) {
            return;
        }
        record = false;
        if (address <= 0 || size < 0) {
            sink.warn(recordLine, "leak record without " + (address <= 0 ? "its address" : "its size") + " skipped");
            return;
        }
        sink.emit(new Alloc(sink.timeNs(), 0, 0, address, size, stack, memory));
        blocks++;
        bytes += size;
        if (memory == Alloc.Memory.PSRAM) {
            psram++;
        } else if (memory == Alloc.Memory.INTERNAL) {
            internal++;
        }
        if (stack != 0) {
            withStack++;
        }
    }

    /** The tracker labels each address {@code (Internal)} or {@code (PSRAM)}; other labels state nothing. */
    private static Alloc.Memory memoryOf(String label) {
        if ("PSRAM".equals(label)) {
            return Alloc.Memory.PSRAM;
        }
        return "Internal".equals(label) ? Alloc.Memory.INTERNAL : Alloc.Memory.UNSTATED;
    }

    private void finish(long line, LogSink sink, String warning) {
        listings.end(sink, close(line, sink, warning));
    }

    private void cutOff(LogSink sink, String why) {
        listings.cutOff(sink, close(-1, sink, null), why);
    }

    /** Flushes the last record and checks the summary against the records; what the report declared. */
    private Snapshot.Declared close(long line, LogSink sink, String warning) {
        flush(sink);
        if (warning != null) {
            sink.warn(line, warning);
        }
        if (totalLeaks >= 0 && (totalLeaks != blocks || totalBytes != bytes)) {
            sink.warn(summaryLine, "leak summary says " + totalBytes + " bytes in " + totalLeaks + " allocations, but " + bytes
                    + " bytes in " + blocks + " allocations were decoded");
        }
        return new Snapshot.Declared(declaredRecords, -1, totalLeaks, totalBytes, -1, -1, "leaks", false);
    }

    @Override
    public void end(LogSink sink) {
        if (listings.open()) {
            cutOff(sink, "the log ends inside the leak tracker report that starts here");
        }
    }

}
