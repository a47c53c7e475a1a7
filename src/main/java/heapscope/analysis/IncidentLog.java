package heapscope.analysis;

import heapscope.chip.Chip;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Heap corruption, crashes and free-heap readings as they come, capped with complete counts: the report's
 * {@link Incidents} and free-heap trends.
 */
final class IncidentLog {
    private final List<Incidents.MatchedCorruption> corruptions = new ArrayList<>();
    private long corruptionCount;
    private final List<Crash> crashes = new ArrayList<>();
    private long crashCount;
    private final List<HeapSample> samples = new ArrayList<>();
    private long sampleCount;
    /** The latest and the lowest free-heap reading among those kept, -1 before the first. */
    private long lastFree = -1;
    private long lowestFree = -1;

    /** @param block the live block the report's address falls in, or null; asked only for the reports kept */
    void corruption(Corruption c, Supplier<LeakedBlock> block) {
        corruptionCount++;
        if (corruptions.size() < LeakAnalysis.MAX_EXAMPLES) {
            corruptions.add(new Incidents.MatchedCorruption(c, block.get()));
        }
    }

    void crash(Crash c) {
        crashCount++;
        if (crashes.size() < LeakAnalysis.MAX_EXAMPLES) {
            crashes.add(c);
        }
    }

    void sample(HeapSample h) {
        sampleCount++;
        if (samples.size() < LeakAnalysis.MAX_SAMPLES) {
            samples.add(h);
            if (h.free() >= 0) {
                lastFree = h.free();
                lowestFree = lowestFree < 0 ? h.free() : Math.min(lowestFree, h.free());
            }
        }
    }

    long corruptionCount() {
        return corruptionCount;
    }

    long crashCount() {
        return crashCount;
    }

    long lastFree() {
        return lastFree;
    }

    long lowestFree() {
        return lowestFree;
    }

    List<Trend> trends() {
        return TrendAnalysis.of(samples);
    }

    /** The incidents, with the regions of the matched blocks from {@code chip} (known only at the end; null: as read). */
    Incidents incidents(Chip chip) {
        List<Incidents.MatchedCorruption> matched = new ArrayList<>(corruptions.size());
        for (Incidents.MatchedCorruption m : corruptions) {
            LeakedBlock b = m.block();
            matched.add(b == null || chip == null ? m : new Incidents.MatchedCorruption(m.report(),
                    new LeakedBlock(b.address(), b.size(), b.timeNs(), b.core(), b.context(), b.stack(), chip.heapRegion(b.address()), b.sinceSnapshot())));
        }
        return new Incidents(List.copyOf(matched), corruptionCount, List.copyOf(crashes), crashCount, List.copyOf(samples), sampleCount);
    }
}
