package heapscope.log;

import heapscope.source.InputException;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.LogMessage;
import heapscope.trace.Recording;
import heapscope.trace.Warning;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a serial log (idf.py monitor capture, terminal log, CI output, pasted excerpt) and turns every heap
 * message in it into model events, among any amount of unrelated output. Lines are split on LF only (so line
 * numbers match an editor's), decoded as UTF-8 leniently, cleaned by {@link LineCleaner} and offered to the
 * parsers. What looks like a heap message but cannot be decoded is skipped with a warning naming its line.
 */
public final class LogDecoder implements EventReader {
    /** A line longer than this is cut (a UART spewing without newlines must not grow memory). */
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final String source;
    private final Recording rec;
    private final boolean logMessages;
    private final LineCleaner cleaner = new LineCleaner();
    private final List<LineParser> parsers = new ArrayList<>();
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private boolean eof;
    private boolean ended;
    private byte[] line = new byte[256];
    private long number;
    private long lastTimeMs = -1;
    private long timeOffsetMs; // keeps time monotonic across reboots and clock-of-day wraps
    private long lastRawMs = -1;
    private final Sink sink = new Sink();
    private long heapMessages;

    /**
     * @param logMessages also emit every line that is not a heap message as a {@link LogMessage}
     */
    public LogDecoder(InputStream in, String source, Recording rec, boolean logMessages) {
        this(in, source, rec, logMessages, List.of());
    }

    /**
     * @param logMessages    also emit every line that is not a heap message as a {@link LogMessage}
     * @param samplePatterns the user's free-heap lines, with named groups {@code free}, {@code min_free},
     *                       {@code largest}, {@code allocated} and optionally {@code label}
     * @throws InputException when a pattern has none of the figure groups
     */
    public LogDecoder(InputStream in, String source, Recording rec, boolean logMessages, List<Pattern> samplePatterns) {
        this.in = in;
        this.source = source;
        this.rec = rec;
        this.logMessages = logMessages;
        rec.addSource(source);
        rec.setFormat("serial log");
        if (!samplePatterns.isEmpty()) {
            parsers.add(new UserSampleParser(samplePatterns));
        }
        parsers.add(new HeapTraceDumpParser());
        parsers.add(new BootBannerParser());
        parsers.add(new CorruptionParser());
        parsers.add(new CrashParser());
        parsers.add(new HeapInfoParser());
        parsers.add(new LeakTrackerParser());
        parsers.add(new MemoryTrackingParser());
        parsers.add(new HeapMonitorParser());
        parsers.add(new TaskTrackingParser());
        parsers.add(new HeapWalkParser());
        parsers.add(new SysviewProcParser());
        parsers.add(new InsightsMetricsParser());
        parsers.add(new FreeHeapLineParser()); // the most general: last
    }

    @Override
    public Event next() throws IOException {
        while (queue.isEmpty()) {
            if (ended) {
                return null;
            }
            String raw = readLine();
            if (raw == null) {
                ended = true;
                for (LineParser p : parsers) {
                    p.end(sink);
                }
                if (heapMessages == 0 && rec.warnings().isEmpty()) {
                    throw new InputException(source + ": no heap data found (not a SystemView trace, and no heap message"
                            + " heapscope knows in " + number + " lines of text)");
                }
                continue;
            }
            process(cleaner.clean(++number, raw));
        }
        return queue.poll();
    }

    private void process(LogLine l) {
        if (l.timeMs() >= 0) {
            long raw = l.timeMs();
            if (lastRawMs >= 0 && raw < lastRawMs) {
                timeOffsetMs = lastTimeMs + 1 - raw; // the device rebooted or the clock wrapped: keep order
            }
            lastRawMs = raw;
            lastTimeMs = raw + timeOffsetMs;
        }
        for (LineParser p : parsers) {
            if (p.open() && p.accept(l, sink)) {
                return;
            }
        }
        if (LineCleaner.decoration(l.text())) {
            return;
        }
        for (LineParser p : parsers) {
            if (!p.open() && p.accept(l, sink)) {
                return;
            }
        }
        if (logMessages && !l.text().isEmpty()) {
            queue.add(new LogMessage(sink.timeNs(), 0, 0, l.text()));
        }
    }

    /** The next line without its LF, or null at the end. Bytes beyond {@link #MAX_LINE} are dropped with a warning. */
    private String readLine() throws IOException {
        int len = 0;
        boolean cut = false;
        while (true) {
            if (pos == end) {
                if (eof) {
                    return len == 0 && !cut ? null : decode(len, cut);
                }
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                    continue;
                }
                pos = 0;
                end = n;
            }
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            int take = Math.min(stop - pos, MAX_LINE - len);
            if (take < stop - pos) {
                cut = true;
            }
            if (len + take > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, len + take));
            }
            System.arraycopy(buf, pos, line, len, take);
            len += take;
            pos = nl < 0 ? end : nl + 1;
            if (nl >= 0) {
                return decode(len, cut);
            }
        }
    }

    private String decode(int len, boolean cut) {
        if (cut) {
            sink.warn(number + 1, "line longer than " + MAX_LINE + " bytes cut");
        }
        return new String(line, 0, len, StandardCharsets.UTF_8);
    }

    @Override
    public Recording recording() {
        return rec;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private final class Sink implements LogSink {
        @Override
        public void emit(Event event) {
            heapMessages++;
            queue.add(event);
        }

        @Override
        public void warn(long line, String message) {
            rec.warn(new Warning(source, Warning.Unit.LINE, line, message));
        }

        @Override
        public Recording recording() {
            return rec;
        }

        @Override
        public long timeNs() {
            return Math.max(0, lastTimeMs) * 1_000_000L;
        }

        @Override
        public boolean timed() {
            return lastTimeMs >= 0;
        }
    }
}
