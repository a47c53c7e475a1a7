package heapscope.source;

import heapscope.trace.Condition;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An event reader that, when its capture ends, records in its recording where a live input's connection was lost
 * ({@link LiveStream#cut()}), as a condition: the capture is then incomplete, and every report says so up front.
 * Recorded on the reading thread, once the decoders have seen the end of every input.
 */
public final class CutNotes implements EventReader {
    private final EventReader reader;
    private final List<InputStream> inputs;
    private boolean noted;

    /** @param inputs the streams the reader decodes, as opened; those that are not live are left alone */
    public CutNotes(EventReader reader, List<InputStream> inputs) {
        this.reader = reader;
        this.inputs = List.copyOf(inputs);
    }

    @Override
    public Event next() throws IOException {
        Event e = reader.next();
        if (e == null && !noted) {
            noted = true;
            record(inputs, reader.recording());
        }
        return e;
    }

    /** Records the cut of every live stream among {@code inputs} in {@code recording}: a warning and its condition. */
    public static void record(List<InputStream> inputs, Recording recording) {
        for (InputStream in : inputs) {
            if (in instanceof LiveStream live) {
                live.cut().ifPresent(cut -> {
                    recording.warn(cut.warning());
                    recording.note(new Condition(Condition.Kind.DAMAGED, cut.warning().source(), "the connection to "
                            + cut.warning().source() + " was lost at byte " + cut.warning().position() + " (" + cut.why()
                            + "); the figures cover only what came before, and blocks freed after it count as leaked",
                            "Capture again, and check what ended the connection (OpenOCD or the bridge stopped, the network dropped)."));
                });
            }
        }
    }

    @Override
    public Recording recording() {
        return reader.recording();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
