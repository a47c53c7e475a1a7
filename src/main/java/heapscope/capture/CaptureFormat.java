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
    /** Bytes of the input's start every format gets to look at. */
    int HEAD = 64;
    /**
     * Bytes a binary input's start may be read to when no format but the serial log claims its first {@link #HEAD}:
     * a raw SystemView stream that starts inside a packet is proven by a run of packets after it.
     */
    int PROBE = 4096;

    /** How users call it, for messages. */
    String name();

    /**
     * Whether {@code head} (the first bytes of the first input, never empty: at most {@link #HEAD}, or at most
     * {@link #PROBE} for a binary input no other format claimed in its first {@link #HEAD}) is this format.
     */
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
