package heapscope.dwarf;

import heapscope.elf.ByteCursor;

import java.util.function.LongFunction;

/**
 * Names functions by their DIE, following DW_AT_abstract_origin and DW_AT_specification (possibly
 * into other units): the linkage name if any DIE on the way has one (what addr2line and
 * llvm-symbolizer print, demangled by the caller), else the first DW_AT_name. One instance per
 * thread: it caches and keeps scratch state.
 */
final class FunctionNames {
    private static final int MAX_HOPS = 16;

    private final LongFunction<Unit> unitAt;
    private final DieReader reader = new DieReader();
    private final LongMap<Name> cache = new LongMap<>();

    /** A function name and whether it is a linkage (symbol) name. */
    record Name(String name, boolean linkage) {
    }

    /** @param unitAt the unit containing a .debug_info offset, or null */
    FunctionNames(LongFunction<Unit> unitAt) {
        this.unitAt = unitAt;
    }

    Name of(long dieOffset) {
        Name cached = cache.get(dieOffset);
        if (cached != null) {
            return cached;
        }
        String name = null;
        boolean linkage = false;
        long offset = dieOffset;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Unit u = unitAt.apply(offset);
            if (u == null) {
                break;
            }
            ByteCursor c = u.info();
            c.seek(offset);
            if (reader.read(c, u.header, u.abbrevs, null) == null) {
                break;
            }
            DieReader d = reader;
            if (d.has(DieReader.S_LINKAGE)) {
                String linkageName = u.string(d.kind[DieReader.S_LINKAGE], d.value[DieReader.S_LINKAGE]);
                if (linkageName != null) {
                    name = linkageName;
                    linkage = true;
                    break;
                }
            }
            if (name == null && d.has(DieReader.S_NAME)) {
                name = u.string(d.kind[DieReader.S_NAME], d.value[DieReader.S_NAME]);
            }
            if (d.kind[DieReader.S_ORIGIN] == DieReader.K_REF) {
                offset = d.value[DieReader.S_ORIGIN];
            } else if (d.kind[DieReader.S_SPEC] == DieReader.K_REF) {
                offset = d.value[DieReader.S_SPEC];
            } else {
                break;
            }
        }
        Name result = new Name(name, linkage);
        cache.put(dieOffset, result);
        return result;
    }
}
