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
 */
public record CaptureSettings(boolean systemEvents, boolean logMessages, List<Pattern> samples, boolean live) {
    public CaptureSettings {
        samples = List.copyOf(samples);
    }

    /** Heap events only, as the reports need them. */
    public static CaptureSettings heap() {
        return new CaptureSettings(false, false, List.of(), false);
    }
}
