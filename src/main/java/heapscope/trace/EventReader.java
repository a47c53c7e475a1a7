package heapscope.trace;

import java.io.Closeable;
import java.io.IOException;

/**
 * A capture read one event at a time, so that analyses stream: memory follows what they keep, not the length
 * of the capture. The {@link Recording} grows while events are read (new stacks, tasks, warnings) and is
 * complete once {@link #next()} has returned null.
 */
public interface EventReader extends Closeable {
    /** The next event in time order, or null at the end. Decoding damage ends the stream early with a warning. */
    Event next() throws IOException;

    Recording recording();

    /**
     * Runs {@code action} on the reading thread whenever {@link #next()} waits for input that has not come yet: a
     * live stream's reader serves requests then. Readers of data at rest never wait, and ignore it.
     */
    default EventReader onIdle(Runnable action) {
        return this;
    }
}
