package heapscope.analysis;

import java.util.Locale;

/**
 * When an allocation counts as temporary: freed with at most {@code allocations} other allocations made in between
 * (heaptrack's rule is 0: none), or, when {@code nanos} is not negative, within that time of being made.
 */
public record TemporaryRule(long allocations, long nanos) {
    public static final TemporaryRule DEFAULT = new TemporaryRule(0, -1);

    /** {@code N} (allocations in between) or {@code Nus} / {@code Nms} (time); null when it is neither. */
    public static TemporaryRule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("us")) {
                return new TemporaryRule(-1, Math.multiplyExact(Long.parseLong(t.substring(0, t.length() - 2)), 1_000L));
            }
            if (t.endsWith("ms")) {
                return new TemporaryRule(-1, Math.multiplyExact(Long.parseLong(t.substring(0, t.length() - 2)), 1_000_000L));
            }
            long n = Long.parseLong(t);
            return n < 0 ? null : new TemporaryRule(n, -1);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Whether a block freed {@code between} allocations and {@code nanos} after it was made is temporary. */
    boolean temporary(long between, long elapsedNs) {
        return (allocations >= 0 && between <= allocations) || (nanos >= 0 && elapsedNs <= nanos);
    }

    /** As the reports say it: "with no other allocation in between", "within 100 µs". */
    public String describe() {
        if (allocations >= 0) {
            return allocations == 0 ? "freed with no other allocation in between"
                    : String.format(Locale.ROOT, "freed with at most %,d other allocations in between", allocations);
        }
        return nanos % 1_000_000 == 0 ? String.format(Locale.ROOT, "freed within %,d ms", nanos / 1_000_000)
                : String.format(Locale.ROOT, "freed within %,d us", nanos / 1_000);
    }
}
