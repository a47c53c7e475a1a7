package heapscope.analysis;

/**
 * What a complete heap listing changed in the live set ({@link LiveSet#keepListing}): the set before it, row for row
 * as the listing's set was copied from it, and {@code rows[0, count)}, ascending and each once, where the two may
 * differ; in every other row both hold the same block (address, size, call stack and memory) or both a hole. So a
 * listing of the same blocks costs its readers nothing per block. Valid until the next listing starts.
 *
 * @param before           the set before the listing; null when its start was not seen (the rows are then unknown)
 * @param sinceLastListing nothing changed the set between the listing before and this one's start: the rows are
 *                         also all that changed since the listing before
 */
record ListingChanges(LiveBlocks before, int[] rows, int count, boolean sinceLastListing) {
    /** Whether the changed rows are known. */
    boolean known() {
        return before != null;
    }
}
