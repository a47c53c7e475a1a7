package heapscope.analysis;

/**
 * The trend of one free-heap series (one label: a capability set, a heap region, the monitor's total).
 *
 * @param timed            x is time in seconds (else the reading's position, and rates are per reading)
 * @param slope            Theil-Sen slope of the low-water marks, bytes per second (or per reading)
 * @param slopeLow         lower end of its 99 % confidence interval
 * @param slopeHigh        upper end
 * @param noise            spread of the low-water marks around the trend (median absolute deviation, bytes)
 * @param secondsToEmpty   at the current rate, seconds (or readings) until the lowest free heap reaches 0;
 *                         infinite when the heap is not shrinking
 * @param fragmentation    last largest-free-block / free ratio, NaN when not printed
 * @param fragmentationDrop how much that ratio fell from the first to the last quarter of the series, NaN when not printed
 * @param largest          the largest free block over the series, null when no reading printed it
 */
public record Trend(String label, int samples, boolean timed, double span, long firstFree, long lastFree, long lowest,
                    double slope, double slopeLow, double slopeHigh, double noise, Verdict verdict, double secondsToEmpty,
                    double fragmentation, double fragmentationDrop, Largest largest) {

    /** How far the largest-block share must fall over the series to call the heap fragmenting. */
    public static final double FRAGMENTING_DROP = 0.2;

    /** Whether the largest free block's share of free heap fell by more than {@link #FRAGMENTING_DROP} over the series. */
    public boolean fragmenting() {
        return !Double.isNaN(fragmentation) && fragmentationDrop > FRAGMENTING_DROP;
    }

    /** The largest free block in the series' first and last readings that print it, and its lowest value. */
    public record Largest(long first, long last, long lowest) {
    }

    public enum Verdict {
        /** The low-water marks fall, beyond doubt and beyond the noise. */
        LEAK,
        /** No fall that the data can tell from noise. */
        STABLE,
        /** Free heap grows (memory given back, or a cache shrinking). */
        RECOVERING,
        /** Too few readings to say. */
        TOO_SHORT
    }
}
