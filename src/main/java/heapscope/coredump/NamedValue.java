package heapscope.coredump;

/** A register or field by name, with its unsigned 32-bit value. */
public record NamedValue(String name, long value) {
}
