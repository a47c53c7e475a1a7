package heapscope.trace;

/**
 * An input-specific event that is neither heap nor log (context switches, interrupts, OS API calls, ...).
 * Decoders emit these only when asked, for inspecting a capture event by event.
 */
public record SystemEvent(long timeNs, int core, int context, int id, String name, String detail) implements Event {
}
