package heapscope.analysis;

import heapscope.trace.Snapshot;

/**
 * One heap listing of the capture, with what it claimed and what was decoded from it.
 *
 * @param aliveBlocks blocks alive in the listing as decoded
 * @param carried     of those, blocks already alive (same address, size and stack) in the previous listing
 */
public record SnapshotInfo(int index, String kind, long line, long timeNs, Snapshot.Declared declared, long aliveBlocks,
                           long aliveBytes, long carried) {
}
