package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.Event;
import heapscope.trace.HeapSample;
import heapscope.trace.Recording;
import heapscope.trace.Snapshot;
import heapscope.trace.Warning;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A log decoded in full, for assertions: its events in order and its warnings. */
record Decoded(List<Event> events, Recording recording) {
    static Decoded of(String log) {
        return of(log, List.of());
    }

    static Decoded of(String log, List<Pattern> samples) {
        Recording rec = new Recording();
        List<Event> events = new ArrayList<>();
        try (LogDecoder d = new LogDecoder(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "test.log", rec, false, samples)) {
            for (Event e = d.next(); e != null; e = d.next()) {
                events.add(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Decoded(List.copyOf(events), rec);
    }

    static Decoded file(Path p) {
        try {
            return of(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends Event> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HeapSample> samples() {
        return all(HeapSample.class);
    }

    List<Crash> crashes() {
        return all(Crash.class);
    }

    List<Corruption> corruptions() {
        return all(Corruption.class);
    }

    List<Alloc> allocs() {
        return all(Alloc.class);
    }

    List<Snapshot> snapshots() {
        return all(Snapshot.class);
    }

    List<Long> warningLines() {
        return recording.warnings().stream().map(Warning::position).toList();
    }

    List<String> warnings() {
        return recording.warnings().stream().map(Warning::message).toList();
    }
}
