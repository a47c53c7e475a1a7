package heapscope.coredump;

import java.nio.charset.StandardCharsets;

/**
 * What a task's TCB says, read from the dump's memory: null fields were not saved.
 *
 * @param stackUsed bytes between the saved stack pointer and the stack's high end
 * @param stackFree bytes between the stack's low end and the saved stack pointer
 */
public record TaskInfo(long tcb, String name, Long priority, Long basePriority, Long stackUsed, Long stackFree,
                       Long stackLow, Long stackHigh) {

    /** Reads the TCB at {@code tcb} with {@code layout}. */
    public static TaskInfo read(Memory memory, long tcb, TcbLayout layout) {
        byte[] nameBytes = memory.bytes(tcb + layout.name(), layout.nameLength());
        String name = null;
        if (nameBytes != null) {
            int len = 0;
            while (len < nameBytes.length && nameBytes[len] != 0) {
                len++;
            }
            name = new String(nameBytes, 0, len, StandardCharsets.ISO_8859_1);
        }
        Long top = word(memory, tcb + layout.topOfStack());
        Long low = word(memory, tcb + layout.stack());
        Long high = word(memory, tcb + layout.endOfStack());
        Long used = top != null && high != null && high >= top ? high - top : null;
        Long free = top != null && low != null && top >= low ? top - low : null;
        return new TaskInfo(tcb, name, word(memory, tcb + layout.priority()), word(memory, tcb + layout.basePriority()),
                used, free, low, high);
    }

    private static Long word(Memory memory, long address) {
        long v = memory.u32(address);
        return v < 0 ? null : v;
    }
}
