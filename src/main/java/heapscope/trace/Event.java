package heapscope.trace;

/**
 * One decoded thing that happened on the device, in capture order. Every input format decodes into these.
 * Times are nanoseconds since the start of the capture; cores count from 0, or are {@link #UNKNOWN_CORE}.
 */
public sealed interface Event permits HeapEvent, LogMessage, Overflow, SystemEvent, Snapshot, HeapSample, Corruption, Crash {
    /**
     * The capture does not say on which core it happened (a SystemView stream over UART or USB-Serial-JTAG carries
     * both cores' heap events with no core marker).
     */
    int UNKNOWN_CORE = -1;

    long timeNs();

    int core();
}
