package heapscope.analysis;

import heapscope.chip.Region;

import java.util.List;
import java.util.SortedMap;

/**
 * Leaks grouped by allocation site (the first frame outside the allocator), the breakdown of seed 001:
 * Size | Count | Total | Component | Source, largest total first.
 *
 * @param splitByCompletion  sites of the recorded frames whose stacks, completed from the call graph, fall into
 *                           several sites: a shared wrapper's callers told apart
 * @param mergedByCompletion sites of completed stacks that gather stacks of several recorded sites
 */
public record SiteReport(List<Site> sites, long totalBytes, long totalBlocks, int splitByCompletion, int mergedByCompletion) {
    /** Sites of stacks as recorded: nothing completed. */
    public SiteReport(List<Site> sites, long totalBytes, long totalBlocks) {
        this(sites, totalBytes, totalBlocks, 0, 0);
    }

    /**
     * @param function  the site's function, or null when the ELF does not know the address
     * @param file      its source file, or null
     * @param component ESP-IDF component or library the site belongs to ({@code main}, {@code lwip}, {@code libstdc++}, ...), or "?"
     * @param stacks    ids of the call stacks (leak groups) allocating here
     * @param rule      the known signature it matches, or null
     */
    public record Site(String function, String file, int line, long address, String component, long blocks, long bytes,
                       SortedMap<Long, Long> sizes, SortedMap<Region, Long> regions, List<Integer> stacks, LeakRule rule) {
    }
}
