package heapscope.analysis;

import heapscope.chip.Region;

/** A block allocated in the capture and still live at its end. */
public record LeakedBlock(long address, long size, long timeNs, int core, int context, int stack, Region region) {
}
