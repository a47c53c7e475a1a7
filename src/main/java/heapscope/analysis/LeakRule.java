package heapscope.analysis;

import java.util.List;

/**
 * A known leak signature (see src/main/resources/heapscope/rules.txt): it matches a site when every frame
 * pattern matches some function of the site's call stack and, if set, the block size is in range.
 */
public record LeakRule(String name, boolean expected, List<NamePattern> frames, long minSize, long maxSize, String title,
                       String explain, String fix) {

    public boolean matches(List<String> functions, long size) {
        if (minSize >= 0 && (size < minSize || size > maxSize)) {
            return false;
        }
        for (NamePattern p : frames) {
            if (functions.stream().noneMatch(p::matches)) {
                return false;
            }
        }
        return !frames.isEmpty();
    }
}
