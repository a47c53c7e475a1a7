package heapscope.coredump;

/** What the unwinders ask of the firmware image: is an address code, and the bytes of instructions. */
public interface Code {
    /** True if {@code address} lies in the application's instructions or the chip's ROM. */
    boolean isCode(long address);

    /** Whether the bytes at {@code address} are known (the application's instructions; ROM is not in the ELF). */
    boolean hasBytes(long address, int length);

    /** The little-endian 16-bit unit at {@code address}; only where {@link #hasBytes} says so. */
    int u16(long address);
}
