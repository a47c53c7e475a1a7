package heapscope.coredump;

import java.util.HashMap;
import java.util.Map;

/**
 * Code for hand-made frames: an address range that counts as code, whose part from {@code image} up has known bytes
 * (zero unless an instruction was placed by hand), like an application ELF above the chip's ROM.
 */
final class FakeCode implements Code {
    private static final long IMAGE = 0x42000000L;
    private final long low;
    private final long high;
    private final Map<Long, Integer> halfwords = new HashMap<>();

    FakeCode(long low, long high) {
        this.low = low;
        this.high = high;
    }

    /** Places a 32-bit instruction at {@code address}. */
    FakeCode instruction(long address, long insn) {
        halfwords.put(address, (int) (insn & 0xffff));
        halfwords.put(address + 2, (int) (insn >>> 16));
        return this;
    }

    @Override
    public boolean isCode(long address) {
        return address >= low && address < high;
    }

    @Override
    public boolean hasBytes(long address, int length) {
        return address >= IMAGE && address + length <= high;
    }

    @Override
    public int u16(long address) {
        return halfwords.getOrDefault(address, 0);
    }
}
