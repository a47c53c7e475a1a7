package heapscope.analysis;

import heapscope.chip.Region;

import java.util.List;
import java.util.SortedMap;

/**
 * Leaked blocks that share one call stack.
 *
 * @param sizes   block size -> number of blocks of that size
 * @param tasks   names of the contexts that allocated them, most blocks first
 * @param regions region -> bytes
 * @param perSnapshot blocks of this stack alive in each heap listing of the capture, in order (empty without listings)
 * @param growth  when its blocks were allocated over the capture (start-up, growing, plateau)
 */
public record LeakGroup(int stack, long blocks, long bytes, SortedMap<Long, Long> sizes, List<Integer> contexts,
                        List<Integer> cores, long firstNs, long lastNs, SortedMap<Region, Long> regions, List<Long> perSnapshot,
                        Growth growth) {
}
