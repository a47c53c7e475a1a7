package heapscope.trace;

/**
 * One decoded thing that happened on the device, in capture order. Every input format decodes into these.
 * Times are nanoseconds since the start of the capture; cores count from 0.
 */
public sealed interface Event permits HeapEvent, LogMessage, Overflow, SystemEvent, Snapshot, HeapSample, Corruption, Crash {
    long timeNs();

    int core();
}
