package heapscope.log;

import heapscope.source.InputException;
import heapscope.trace.Alloc;
import heapscope.trace.Condition;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.HeapEvent;
import heapscope.trace.LogMessage;
import heapscope.trace.Recording;
import heapscope.trace.Warning;

import java.io.IOException;
import java.io.InputStream;
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
    private final LineSource lines;
    private final String source;
    private final Recording rec;
    private final boolean logMessages;
    private final List<LineParser> parsers = new ArrayList<>();
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private boolean ended;
    private LineSource.Batch batch;
    private int next;
    private long number;
    private long lastTimeMs = -1;
    private long timeOffsetMs; // keeps time monotonic across reboots and clock-of-day wraps
    private long lastRawMs = -1;
    private boolean hostClock;
    private final Sink sink = new Sink();
    private final DecodedAddressLines decoded;
    private long heapMessages;
    private boolean requireHeapData = true;
    private Runnable idle = () -> { };

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
        this.lines = new LineSource(in, source);
        this.source = source;
        this.rec = rec;
        this.logMessages = logMessages;
        this.decoded = new DecodedAddressLines(rec.logNames());
        rec.addSource(source);
        rec.setFormat("serial log");
        if (!samplePatterns.isEmpty()) {
            parsers.add(new UserSampleParser(samplePatterns));
        }
        parsers.add(new HeapTraceDumpParser());
        parsers.add(new BootBannerParser());
        parsers.add(new CorruptionParser());
        parsers.add(new KasanParser());
        parsers.add(new CoreDumpParser());
        parsers.add(new CrashParser());
        parsers.add(new HeapInfoParser());
        parsers.add(new LeakTrackerParser());
        parsers.add(new MemoryTrackingParser());
        parsers.add(new FailedAllocHookParser());
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
            if (batch == null || next == batch.count()) {
                batch = lines.next(idle);
                next = 0;
            }
            if (batch.count() == 0) {
                ended = true;
                for (LineParser p : parsers) {
                    p.end(sink);
                }
                if (requireHeapData && heapMessages == 0 && rec.warnings().isEmpty()) {
                    throw new InputException(source + ": no heap data found (not a SystemView trace, and no heap message"
                            + " heapscope knows in " + number + " lines of text)");
                }
                continue;
            }
            LogLine l = batch.lines()[next];
            if (batch.cut()[next++]) {
                sink.warn(l.number(), "line longer than " + LineSource.MAX_LINE + " bytes cut");
            }
            number = l.number();
            process(l);
        }
        return queue.poll();
    }

    private void process(LogLine l) {
        if (l.decoration()) { // no device data: only the names of the addresses of the line before
            decoded.accept(l.text());
            return;
        }
        // One clock drives event times: the host terminal's when the log has one (on every line), else the device's.
        long raw = -1;
        if (l.hostMs() >= 0) {
            hostClock = true;
            raw = l.hostMs();
        } else if (!hostClock) {
            raw = l.timeMs();
        }
        if (raw >= 0) {
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
        for (LineParser p : parsers) {
            if (!p.open() && p.accept(l, sink)) {
                return;
            }
        }
        if (!l.text().isEmpty()) {
            rec.sawMessage(raw >= 0 ? sink.timeNs() : -1);
            if (logMessages) {
                queue.add(new LogMessage(sink.timeNs(), 0, 0, l.text()));
            }
        }
    }

    /**
     * A log without any heap message is then simply empty, not an error: for a live session, where the device
     * may print none before it is stopped.
     */
    public LogDecoder allowNoHeapData() {
        requireHeapData = false;
        return this;
    }

    /** Runs {@code action} on the reading thread whenever the input pauses (every 200 ms while nothing comes). */
    @Override
    public LogDecoder onIdle(Runnable action) {
        this.idle = action;
        return this;
    }

    @Override
    public Recording recording() {
        return rec;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    private final class Sink implements LogSink {
        private Alloc lastFailed;

        @Override
        public void emit(Event event) {
            heapMessages++;
            if (event instanceof HeapEvent h && h.core() < 8) { // a log states no core count: records show it
                rec.setCores(h.core() + 1);
            }
            if (event instanceof Alloc a && a.failed()) {
                lastFailed = a;
            }
            queue.add(event);
        }

        @Override
        public Alloc lastFailedAllocation() {
            return lastFailed;
        }

        @Override
        public void warn(long line, String message) {
            rec.warn(new Warning(source, Warning.Unit.LINE, line, message));
        }

        @Override
        public void damage(long line, String message) {
            rec.warnDamage(new Warning(source, Warning.Unit.LINE, line, message));
        }

        @Override
        public void condition(Condition.Kind kind, String reason, String action) {
            rec.update(new Condition(kind, source, source + ": " + reason, action));
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
