package heapscope.trace;

/** The device's trace buffer overflowed: {@code dropped} events are missing here, so results are incomplete. */
public record Overflow(long timeNs, int core, long dropped) implements Event {
}
