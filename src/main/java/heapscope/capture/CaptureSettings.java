package heapscope.capture;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a command asks of the decoders besides the bytes.
 *
 * @param systemEvents SystemView: also context switches, interrupts and other packets
 * @param logMessages  serial logs: also every line that is not a heap message, as a log message event
 * @param samples      the user's free-heap line regexes (--sample), for a log's lines or a trace's printed messages
 * @param live         a live session: a stream that has printed no heap message yet is empty, not unusable
 * @param heapEvents   SystemView: id of the heap module's allocation event (--heap-events), or -1 to take it from
 *                     the trace's module description or infer it where the link sends none
 */
public record CaptureSettings(boolean systemEvents, boolean logMessages, List<Pattern> samples, boolean live, int heapEvents) {
    public CaptureSettings {
        samples = List.copyOf(samples);
    }

    public CaptureSettings(boolean systemEvents, boolean logMessages, List<Pattern> samples, boolean live) {
        this(systemEvents, logMessages, samples, live, -1);
    }

    /** Heap events only, as the reports need them. */
    public static CaptureSettings heap() {
        return new CaptureSettings(false, false, List.of(), false);
    }

    /** The same, with the heap events at {@code id} (-1: as the trace says). */
    public CaptureSettings withHeapEvents(int id) {
        return new CaptureSettings(systemEvents, logMessages, samples, live, id);
    }
}
