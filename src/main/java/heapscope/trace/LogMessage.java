package heapscope.trace;

/** A log line the firmware emitted into the capture (SystemView print event, serial log line). */
public record LogMessage(long timeNs, int core, int context, String text) implements Event {
}
