package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The community heap monitor's output (docs/log-formats.md "Heap monitor"): its task table (task names become
 * known contexts), {@code Memoria atual: N, Menor valor: N} (current and minimum free heap, a {@link HeapSample}),
 * the 60 s history line {@code Memoria atual: N, Min últimos 60s: N, Max últimos 60s: N}, and its leak dump
 * ({@code Vazamentos detectados:}, then {@code Alocação #i: N bytes em ADDR} with {@code ↳ [j] PC} caller lines: a
 * {@link Snapshot}). Accented words are matched loosely, since terminals often save them in the wrong charset.
 */
final class HeapMonitorParser implements LineParser {
    private static final Pattern TABLE_HEAD = LinePattern.compile("^\\|\\s*Task Name\\s*\\|\\s*Status\\s*\\|.*\\|\\s*Core\\s*\\|$");
    private static final Pattern CURRENT = LinePattern.compile("^Memoria atual: (\\d{1,12}), Menor valor: (\\d{1,12})$");
    private static final Pattern HISTORY = LinePattern.compile("^Memoria atual: (\\d{1,12}), Min \\S{0,8}ltimos \\d+s: (\\d{1,12}), Max \\S{0,8}ltimos \\d+s: (\\d{1,12})$");
    private static final Pattern TOTAL = LinePattern.compile("^Heap [DI]RAM total: \\d{1,12} bytes$");
    private static final Pattern RECORD = LinePattern.compile("^Aloca\\S{0,8}o #(\\d{1,10}): (\\d{1,12}) bytes em 0x([0-9a-fA-F]{1,8})$");
    private static final Pattern CALLER = LinePattern.compile("^\\S{1,4} \\[(\\d{1,3})\\] 0x([0-9a-fA-F]{1,8})$");
    private static final int MAX_CALLERS = 64;

    private final long[] callers = new long[MAX_CALLERS];
    private final Listings listings = new Listings("heap monitor");
    private boolean table;
    private int rows;
    private long lastCurrent = -1;
    // the record whose caller lines are being read
    private boolean record;
    private long address;
    private long size;
    private int depth;

    @Override
    public boolean open() {
        return table || listings.open();
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String s = line.text().strip();
        if (table && line.logged()) {
            return false; // other tasks' output may interleave
        }
        if (table) {
            if (s.startsWith("|")) {
                row(s, line, sink);
                rows++;
                return true;
            }
            if (isRule(s)) {
                table = rows == 0; // the rule under the header, or the one closing the table
                return true;
            }
            table = false;
        }
        if (s.startsWith("|") && TABLE_HEAD.matcher(s).matches()) {
            table = true;
            rows = 0;
            return true;
        }
        if (s.startsWith("Memoria atual: ")) {
            sample(s, line, sink);
            return true;
        }
        if (s.startsWith("Heap ") && TOTAL.matcher(s).matches()) {
            return true; // a total size, not a reading of the free heap
        }
        if (s.endsWith("Vazamentos detectados:")) {
            if (listings.open()) {
                finish(sink);
            }
            listings.start(sink, line.number());
            return true;
        }
        if (!listings.open()) {
            return false;
        }
        Matcher m;
        if (s.startsWith("Aloca")) {
            flush(sink);
            if ((m = RECORD.matcher(s)).matches()) {
                record = true;
                size = Long.parseLong(m.group(2));
                address = Num.hex(m.group(3));
                depth = 0;
            } else {
                sink.warn(line.number(), "damaged heap monitor leak record skipped");
            }
            return true;
        }
        if ((m = CALLER.matcher(s)).matches()) {
            if (record && depth < MAX_CALLERS) {
                callers[depth++] = Num.hex(m.group(2));
            }
            return true;
        }
        if (s.isEmpty() || line.logged() || isRule(s)) {
            return s.isEmpty() || isRule(s); // other tasks' output interleaves: the dump waits 10 ms per record
        }
        finish(sink); // unprefixed output that is not the monitor's: the dump is over
        return false;
    }

    private static boolean isRule(String s) {
        return s.length() >= 20 && s.chars().allMatch(c -> c == '-');
    }

    private void row(String s, LogLine line, LogSink sink) {
        String[] cells = s.split("\\|", -1);
        if (cells.length != 7 || cells[1].isBlank()) {
            sink.warn(line.number(), "damaged task table row skipped");
            return;
        }
        sink.recording().contexts().intern(Context.Kind.TASK, cells[1].strip());
    }

    private void sample(String s, LogLine line, LogSink sink) {
        Matcher m = CURRENT.matcher(s);
        if (m.matches()) {
            lastCurrent = Long.parseLong(m.group(1));
            sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), "default", lastCurrent, Long.parseLong(m.group(2)), -1, -1));
            return;
        }
        m = HISTORY.matcher(s);
        if (!m.matches()) {
            sink.warn(line.number(), "damaged heap monitor line skipped");
            return;
        }
        long current = Long.parseLong(m.group(1));
        long min = Long.parseLong(m.group(2));
        long max = Long.parseLong(m.group(3));
        if (min > current || current > max) {
            sink.warn(line.number(), "heap monitor history line is inconsistent (min " + min + ", current " + current + ", max " + max + "); skipped");
        } else if (current != lastCurrent) {
            // the monitor prints the history right after the same reading; only a lone history line is a new point
            sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), "default", current, -1, -1, -1));
        }
        lastCurrent = -1;
    }

    private void flush(LogSink sink) {
        if (record) {
            record = false;
            sink.emit(new Alloc(sink.timeNs(), 0, 0, address, size, sink.recording().stacks().intern(callers, depth)));
        }
    }

    private void finish(LogSink sink) {
        flush(sink);
        listings.end(sink);
    }

    @Override
    public void end(LogSink sink) {
        table = false;
        if (listings.open()) {
            finish(sink);
        }
    }
}
