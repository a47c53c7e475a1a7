package heapscope.analysis;

import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;

import java.util.List;

/**
 * What the capture reported beside allocations: memory errors (heap corruption, KASAN; matched to the traced block
 * they hit, live or recently freed, and to the crash they caused), crashes, and free-heap readings. Lists are
 * capped; the counts are complete.
 */
public record Incidents(List<MatchedCorruption> corruptions, long corruptionCount, List<Crash> crashes, long crashCount,
                        List<HeapSample> samples, long sampleCount) {

    /**
     * A memory error and what the capture says about it.
     *
     * @param block     the traced block its address concerns (its allocation), or null when none was traced near it
     * @param placement where the address lies from that block, null without a block
     * @param crash     the abort the error caused (within a few lines after it), or null (KASAN's CONFIG_KASAN_NO_HALT)
     */
    public record MatchedCorruption(Corruption report, LeakedBlock block, Placement placement, Crash crash) {
        public MatchedCorruption(Corruption report, LeakedBlock block) {
            this(report, block, block == null ? null : Placement.of(report.address(), block, null), null);
        }

        MatchedCorruption withCrash(Crash c) {
            return new MatchedCorruption(report, block, placement, c);
        }

        MatchedCorruption withBlock(LeakedBlock b) {
            return new MatchedCorruption(report, b, placement, crash);
        }
    }

    /** Where an address lies from a block. */
    public enum Where {
        INSIDE, PAST_END, BEFORE_START
    }

    /**
     * Where a report's address lies from its block, and how far ({@code bytes}: from the start when inside, from
     * the end when past it, to the start when before it).
     *
     * @param freed the block's free, when it had been freed before the report; null when it was live
     */
    public record Placement(Where where, long bytes, Freed freed) {
        static Placement of(long address, LeakedBlock b, Freed freed) {
            long end = b.address() + b.size();
            if (address < b.address()) {
                return new Placement(Where.BEFORE_START, b.address() - address, freed);
            }
            return address < end ? new Placement(Where.INSIDE, address - b.address(), freed) : new Placement(Where.PAST_END, address - end, freed);
        }
    }

    /** The free of a block a report concerns: when, on which core, by which call stack. */
    public record Freed(long timeNs, int stack) {
    }
}
