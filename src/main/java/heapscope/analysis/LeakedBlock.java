package heapscope.analysis;

import heapscope.chip.Region;

/**
 * A block allocated in the capture and still live at its end.
 *
 * @param sinceSnapshot for captures made of heap listings: index of the first listing from which the block was
 *                      present in every later one (-1 when the capture has no listings)
 */
public record LeakedBlock(long address, long size, long timeNs, int core, int context, int stack, Region region, int sinceSnapshot) {
}
