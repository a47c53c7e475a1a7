package heapscope.log;

import heapscope.trace.Condition;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.LogMessage;
import heapscope.trace.Recording;
import heapscope.trace.Warning;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Heap readings in log messages that arrive inside another capture: ESP_LOG output that SystemView carries as print
 * events ({@code I (5000) app: free heap: 123456}, printed every few seconds). Each message's lines go through the
 * serial log's one-line parsers of such readings (free-heap lines, ESP Insights' heap metrics, the user's
 * {@code --sample} patterns), and the samples they give follow the message, at its time.
 */
public final class PrintedHeapLines implements EventReader {
    private final EventReader in;
    private final LineCleaner cleaner = new LineCleaner();
    private final List<LineParser> parsers = new ArrayList<>();
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private final Sink sink = new Sink();
    private LogMessage message;
    private long messages;

    /**
     * @param samplePatterns the user's free-heap lines, as for a serial log
     * @throws heapscope.source.InputException when a pattern has none of the figure groups
     */
    public PrintedHeapLines(EventReader in, List<Pattern> samplePatterns) {
        this.in = in;
        if (!samplePatterns.isEmpty()) {
            parsers.add(new UserSampleParser(samplePatterns));
        }
        parsers.add(new InsightsMetricsParser());
        parsers.add(new FreeHeapLineParser());
    }

    @Override
    public Event next() throws IOException {
        if (!queue.isEmpty()) {
            return queue.poll();
        }
        Event e = in.next();
        if (e instanceof LogMessage m) {
            message = m;
            messages++;
            in.recording().sawMessage(m.timeNs()); // a trace's print events are all timed
            for (String text : m.text().split("\n")) {
                LogLine line = cleaner.clean(messages, text, -1, false);
                for (int i = 0; !line.decoration() && i < parsers.size() && !parsers.get(i).accept(line, sink); i++) {
                    // offered to each parser until one takes it
                }
            }
        }
        return e;
    }

    @Override
    public Recording recording() {
        return in.recording();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Samples are dated by their message; their "line" is the message's number among all printed messages. */
    private final class Sink implements LogSink {
        @Override
        public void emit(Event event) {
            queue.add(event);
        }

        @Override
        public void warn(long line, String message) {
            recording().warn(new Warning(String.join(", ", recording().sources()), Warning.Unit.NONE, line,
                    "printed message " + line + ": " + message));
        }

        @Override
        public void damage(long line, String message) {
            warn(line, message); // one printed message holds no listing to be cut off
        }

        @Override
        public void condition(Condition.Kind kind, String reason, String action) {
            String sources = String.join(", ", recording().sources());
            recording().update(new Condition(kind, sources, sources + ": " + reason, action));
        }

        @Override
        public Recording recording() {
            return in.recording();
        }

        @Override
        public long timeNs() {
            return message.timeNs();
        }

        @Override
        public boolean timed() {
            return true;
        }
    }
}
