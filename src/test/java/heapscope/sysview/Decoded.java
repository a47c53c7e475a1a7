package heapscope.sysview;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.source.InputSpec;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A capture decoded completely, for assertions. */
record Decoded(List<Event> events, Recording recording) {

    static Decoded of(boolean systemEvents, Path... files) {
        return of(systemEvents, Arrays.stream(files).map(f -> (InputSpec) new InputSpec.FileInput(f)).toList());
    }

    static Decoded of(boolean systemEvents, List<InputSpec> inputs) {
        try (EventReader r = new SvDecoder(systemEvents).open(inputs)) {
            List<Event> events = new ArrayList<>();
            for (Event e = r.next(); e != null; e = r.next()) {
                events.add(e);
            }
            return new Decoded(events, r.recording());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LeakReport leaks(Path... files) {
        return leaks(Arrays.stream(files).map(f -> (InputSpec) new InputSpec.FileInput(f)).toList());
    }

    static LeakReport leaks(List<InputSpec> inputs) {
        try (EventReader r = new SvDecoder(false).open(inputs)) {
            return LeakAnalysis.run(r, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
