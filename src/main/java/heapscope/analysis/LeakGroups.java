package heapscope.analysis;

import heapscope.chip.Region;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The leaked blocks grouped by call stack, largest first, with each stack's sizes, tasks, cores, regions and listings. */
final class LeakGroups {
    private LeakGroups() {
    }

    static List<LeakGroup> of(List<LeakedBlock> leaks, List<Map<Integer, Long>> perSnapshotStacks, Map<Integer, Growth> growth) {
        Map<Integer, List<LeakedBlock>> byStack = new LinkedHashMap<>();
        for (LeakedBlock b : leaks) {
            byStack.computeIfAbsent(b.stack(), k -> new ArrayList<>()).add(b);
        }
        List<LeakGroup> groups = new ArrayList<>(byStack.size());
        for (Map.Entry<Integer, List<LeakedBlock>> entry : byStack.entrySet()) {
            long bytes = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            TreeMap<Long, Long> sizes = new TreeMap<>();
            Map<Integer, Long> contexts = new HashMap<>();
            TreeMap<Integer, Long> cores = new TreeMap<>();
            TreeMap<Region, Long> regions = new TreeMap<>();
            for (LeakedBlock b : entry.getValue()) {
                bytes += b.size();
                first = Math.min(first, b.timeNs());
                last = Math.max(last, b.timeNs());
                sizes.merge(b.size(), 1L, Long::sum);
                contexts.merge(b.context(), 1L, Long::sum);
                cores.merge(b.core(), 1L, Long::sum);
                regions.merge(b.region(), b.size(), Long::sum);
            }
            List<Integer> byCount = new ArrayList<>(contexts.keySet());
            byCount.sort(Comparator.<Integer>comparingLong(contexts::get).reversed().thenComparing(Comparator.naturalOrder()));
            List<Long> perSnapshot = new ArrayList<>(perSnapshotStacks.size());
            for (Map<Integer, Long> counts : perSnapshotStacks) {
                perSnapshot.add(counts.getOrDefault(entry.getKey(), 0L));
            }
            groups.add(new LeakGroup(entry.getKey(), entry.getValue().size(), bytes, sizes, List.copyOf(byCount),
                    List.copyOf(cores.keySet()), first, last, regions, List.copyOf(perSnapshot),
                    growth.getOrDefault(entry.getKey(), new Growth(Growth.Kind.UNKNOWN, 0))));
        }
        groups.sort(Comparator.comparingLong(LeakGroup::bytes).reversed()
                .thenComparing(Comparator.comparingLong(LeakGroup::blocks).reversed())
                .thenComparingLong(LeakGroup::firstNs));
        return List.copyOf(groups);
    }
}
