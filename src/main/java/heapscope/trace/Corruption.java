package heapscope.trace;

/**
 * The firmware reported a memory error: heap poisoning's {@code CORRUPT HEAP: ...} (the heap found damage to
 * itself) or KASAN's {@code KASAN error: WRITE of size 4 at ..} (an instrumented access hit poisoned memory).
 *
 * @param kind     what was wrong: {@code bad head}, {@code bad tail}, {@code invalid data}, {@code bad size},
 *                 {@code heap assert} (poisoning), or KASAN's bug type from its shadow nibble
 *                 ({@code use-after-free}, {@code heap-buffer-overflow}, {@code heap-buffer-underflow},
 *                 {@code heap-buffer-overflow (partial granule)}, {@code uninitialised memory}, {@code unknown poison})
 * @param address  where the damage was found (a canary or block header) or the bad access went, 0 when the message
 *                 gives none
 * @param access   the access KASAN caught, or null for a poisoning report
 * @param expected the value poisoning expected (a canary, a size limit), -1 when not printed
 * @param actual   the value it found, -1 when not printed
 */
public record Corruption(long timeNs, int core, long line, String kind, long address, String text, Access access,
                         long expected, long actual) implements Event {

    /** A poisoning report without values. */
    public Corruption(long timeNs, int core, long line, String kind, long address, String text) {
        this(timeNs, core, line, kind, address, text, null, -1, -1);
    }

    /**
     * An instrumented access that KASAN refused.
     *
     * @param nibble the shadow nibble KASAN read at the address (0xF freed, 0xE left redzone, 0xD right redzone,
     *               0xC uninitialised, 1-3 a partial granule), -1 when its line is lost
     */
    public record Access(boolean write, int size, int nibble) {
        public String label() {
            return write ? "write" : "read";
        }

        /** Where the block the access concerns lies from its address. */
        public Side side() {
            return switch (nibble) {
                case 0xF, 0xC -> Side.CONTAINING;
                case 0xE -> Side.ABOVE;
                case 1, 2, 3, 0xD -> Side.BELOW;
                default -> Side.ANY;
            };
        }

        /** Whether the memory had been freed (KASAN's use-after-free). */
        public boolean freed() {
            return nibble == 0xF;
        }
    }

    /** Which block a report's address points at: one that contains it, ends below it (overflow), starts above it (underflow). */
    public enum Side {
        CONTAINING, BELOW, ABOVE, ANY
    }

    public boolean kasan() {
        return access != null;
    }
}
