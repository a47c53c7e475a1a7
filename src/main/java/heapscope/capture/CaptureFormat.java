package heapscope.capture;

import heapscope.source.InputSpec;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * One kind of capture heapscope reads. {@link Captures} asks each registered format in turn whether it claims the
 * first bytes of the input; the first that does opens it. A new input format is one more implementation in
 * {@link Captures#FORMATS}.
 */
public interface CaptureFormat {
    /** Bytes of the input's start a format gets to look at. */
    int HEAD = 64;

    /** How users call it, for messages. */
    String name();

    /** Whether {@code head} (the first bytes of the first input, at most {@link #HEAD}, never empty) is this format. */
    boolean claims(byte[] head);

    /**
     * Whether the capture is lines of text the device printed, which the monitor passes through as they come; a
     * binary one the monitor shows as decoded events.
     */
    boolean text();

    /**
     * Opens the capture for reading: {@code streams.get(i)} is {@code inputs.get(i)}, open at its first byte.
     * Events and what the decoder learns about the capture go into {@code recording}.
     */
    EventReader open(List<InputSpec> inputs, List<InputStream> streams, CaptureSettings settings, Recording recording) throws IOException;
}
