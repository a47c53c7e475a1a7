package heapscope.trace;

import java.util.Locale;

/**
 * Why a report's figures are not the whole truth about the firmware: part of the capture is missing, the ELF
 * given is not the firmware that made it, or the report counts part of its breakdown together. Decoders and the ELF check record these in the {@link Recording}; every
 * report says them before its numbers, in the same words.
 *
 * @param source what the condition is about (an input, the ELF), as given on the command line
 * @param reason one line a user understands, naming the source: what is wrong and what it does to the figures
 * @param action what to do about it
 */
public record Condition(Kind kind, String source, String reason, String action) {

    /** What a condition does to the report. */
    public enum Effect {
        /** Events are missing: leak figures are partial (too low, or too high where frees are unseen). */
        INCOMPLETE,
        /** The ELF is not the capture's firmware: its names would be wrong, so none are shown. */
        MISMATCHED,
        /** Totals are exact, but part of the breakdown by call stack is counted as one group. */
        SUMMARISED
    }

    /** The causes, each with its effect; {@link #id()} is the stable name JSON uses. */
    public enum Kind {
        /** Decoding of a stream stopped on damaged or cut-off data. */
        DAMAGED(Effect.INCOMPLETE),
        /** The device's trace buffer overflowed and it dropped events. */
        DROPPED_EVENTS(Effect.INCOMPLETE),
        /** Bytes of a raw stream were lost in transit (a ring buffer dropped them) and decoding resumed after them. */
        LOST_BYTES(Effect.INCOMPLETE),
        /** A heap trace dump's record buffer was full, or the device said it overflowed. */
        FULL_RECORD_BUFFER(Effect.INCOMPLETE),
        /** The chip has more cores than streams were given. */
        MISSING_CORE(Effect.INCOMPLETE),
        /** The ELF is another build, another CPU, or holds none of the capture's code. */
        ELF_MISMATCH(Effect.MISMATCHED),
        /** The ELF can name nothing (stripped). */
        ELF_WITHOUT_NAMES(Effect.MISMATCHED),
        /** More call stacks leak than a report keeps groups for: the smallest are counted as one "other" group. */
        FOLDED_STACKS(Effect.SUMMARISED);

        private final Effect effect;

        Kind(Effect effect) {
            this.effect = effect;
        }

        public Effect effect() {
            return effect;
        }

        /** {@code missing_core}, ... */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Effect effect() {
        return kind.effect();
    }

    /** The line for the top of a report: {@code Incomplete: cpu0.svdat: core 1's stream is missing ... }. */
    public String headline() {
        return label() + reason + ". " + action;
    }

    /**
     * The same line in a report of two captures (diff), naming which one it is about:
     * {@code Incomplete: after: cpu0.svdat: core 1's stream is missing ... }.
     */
    public String headline(String capture) {
        return label() + capture + ": " + reason + ". " + action;
    }

    private String label() {
        return switch (kind.effect()) {
            case INCOMPLETE -> "Incomplete: ";
            case MISMATCHED -> "ELF mismatch: ";
            case SUMMARISED -> "Summarised: ";
        };
    }
}
