package heapscope.analysis;

/**
 * When the surviving blocks of one call stack were allocated over the capture.
 *
 * @param bytesPerMinute for {@link Kind#GROWING}: the rate its surviving bytes accumulate at; else 0
 */
public record Growth(Kind kind, double bytesPerMinute) {
    public enum Kind {
        /** all allocated right at the start: initialisation, not growth */
        ONE_TIME,
        /** allocated all along the capture: a leak that keeps growing */
        GROWING,
        /** allocated for a while, then no more: a bounded cache or pool that filled up */
        PLATEAU,
        /** too few blocks, or too short a capture, to say */
        UNKNOWN
    }
}
