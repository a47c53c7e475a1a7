package heapscope.analysis;

import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;

import java.util.List;

/**
 * What the capture reported beside allocations: heap corruption (matched to the live block it hit, when one
 * was traced), crashes, and free-heap readings. Lists are capped; the counts are complete.
 */
public record Incidents(List<MatchedCorruption> corruptions, long corruptionCount, List<Crash> crashes, long crashCount,
                        List<HeapSample> samples, long sampleCount) {

    /** A corruption report and the traced block that contains its address, if any (else {@code block} is null). */
    public record MatchedCorruption(Corruption report, LeakedBlock block) {
    }
}
