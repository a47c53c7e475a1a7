package heapscope.trace;

/**
 * Marks a point-in-time listing of the heap (a {@code heap_trace_dump()}, a tracker's leak list). The heap
 * events between a start and its end describe the blocks alive at that moment, not a history: an analysis
 * starts a fresh live set at each start. {@code index} counts snapshots from 0 in capture order.
 *
 * @param cut an end that came before the listing's own end (the log stopped inside it): its records are not all the
 *            blocks alive, so an analysis keeps the last complete listing instead
 */
public record Snapshot(long timeNs, int core, int index, Boundary boundary, String kind, long line, Declared declared,
                       boolean cut) implements Event {
    public enum Boundary { START, END }

    /**
     * What the listing itself claims (its header and summary lines), to check against what was decoded.
     * Unknown figures are -1.
     */
    public record Declared(long records, long capacity, long aliveBlocks, long aliveBytes, long totalAllocs, long totalFrees,
                           String mode, boolean overflowed) {
        public static final Declared NONE = new Declared(-1, -1, -1, -1, -1, -1, "", false);
    }
}
