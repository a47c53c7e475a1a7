package heapscope.trace;

/**
 * The heap reported damage to itself (heap poisoning's {@code CORRUPT HEAP: ...}): {@code address} is where the
 * damage was found (a canary or block header), 0 when the message gives none.
 */
public record Corruption(long timeNs, int core, long line, String kind, long address, String text) implements Event {
}
