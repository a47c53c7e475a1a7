package heapscope.dwarf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A C structure as the ELF's DWARF describes it.
 *
 * @param size    its {@code sizeof} in bytes, -1 when the description gives none
 * @param members byte offset of each member by name, in declaration order (bit-fields share their word's offset)
 */
public record StructLayout(String name, long size, Map<String, Long> members) {
    public StructLayout {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** The offset of {@code member}, or -1 when the structure has no such member. */
    public long offset(String member) {
        return members.getOrDefault(member, -1L);
    }
}
