package heapscope.analysis;

import java.util.Collection;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A known leak signature (see src/main/resources/heapscope/rules.txt): it matches a site when every frame
 * pattern matches some function of the site's call stack and, if set, the block size is in range.
 */
public record LeakRule(String name, boolean expected, List<NamePattern> frames, long minSize, long maxSize, String title,
                       String explain, String fix) {

    public boolean matches(Collection<String> functions, long size) {
        return matches(functions, size, NamePattern::matches);
    }

    /** As {@link #matches(Collection, long)}, with each pattern tried on a function by MATCH (a cache of its answers). */
    public boolean matches(Collection<String> functions, long size, BiPredicate<NamePattern, String> match) {
        if (minSize >= 0 && (size < minSize || size > maxSize)) {
            return false;
        }
        for (NamePattern p : frames) {
            if (functions.stream().noneMatch(f -> match.test(p, f))) {
                return false;
            }
        }
        return !frames.isEmpty();
    }
}
