package heapscope.symbols;

import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;
import heapscope.elf.ElfSymbol;
import heapscope.util.Sorted;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Function and object symbols sorted by address, for the fallback when DWARF does not cover an address. */
final class SymbolTable {
    private final long[] starts;
    private final long[] sizes;
    private final String[] names;
    private final String[] objects;
    private final long[] sectionEnd; // symbols without a size extend at most to their section's end

    SymbolTable(ElfFile elf) {
        List<ElfSection> sections = elf.sections();
        record Kept(ElfSymbol symbol, String object) {
        }
        List<Kept> kept = new ArrayList<>();
        String file = null; // the STT_FILE entry the local symbols that follow it come from
        for (ElfSymbol s : elf.symbols()) {
            if (s.type() == ElfSymbol.STT_FILE) {
                file = s.name().isEmpty() ? null : s.name();
                continue;
            }
            boolean kind = s.type() == ElfSymbol.STT_FUNC || s.type() == ElfSymbol.STT_OBJECT
                    || s.type() == ElfSymbol.STT_NOTYPE;
            boolean placed = s.sectionIndex() != ElfSymbol.SHN_UNDEF && s.sectionIndex() < sections.size()
                    && sections.get(s.sectionIndex()).isAllocated();
            // "$x"/".L" style names are assembler mapping and local labels, not functions
            if (kind && placed && !s.name().isEmpty() && !s.name().startsWith("$") && !s.name().startsWith(".L")) {
                kept.add(new Kept(s, s.binding() == ElfSymbol.STB_LOCAL ? file : null));
            }
        }
        // Prefer sized, global, function symbols among several at one address.
        kept.sort(Comparator.comparingLong((Kept k) -> k.symbol().value() ^ Long.MIN_VALUE)
                .thenComparing(k -> k.symbol().type() != ElfSymbol.STT_FUNC)
                .thenComparing(k -> k.symbol().size() == 0)
                .thenComparing(k -> k.symbol().binding() == ElfSymbol.STB_LOCAL));
        List<Kept> unique = new ArrayList<>();
        for (Kept k : kept) {
            if (unique.isEmpty() || unique.get(unique.size() - 1).symbol().value() != k.symbol().value()) {
                unique.add(k);
            }
        }
        int n = unique.size();
        starts = new long[n];
        sizes = new long[n];
        names = new String[n];
        objects = new String[n];
        sectionEnd = new long[n];
        for (int i = 0; i < n; i++) {
            ElfSymbol s = unique.get(i).symbol();
            objects[i] = unique.get(i).object();
            starts[i] = s.value() ^ Long.MIN_VALUE;
            sizes[i] = s.size();
            names[i] = s.name();
            ElfSection sec = sections.get(s.sectionIndex());
            sectionEnd[i] = (sec.address() + sec.size()) ^ Long.MIN_VALUE;
        }
    }

    boolean isEmpty() {
        return names.length == 0;
    }

    Optional<SymbolHit> find(long address) {
        long a = address ^ Long.MIN_VALUE;
        int found = Sorted.lastAtOrBefore(starts, a);
        if (found < 0) {
            return Optional.empty();
        }
        long offset = address - (starts[found] ^ Long.MIN_VALUE);
        boolean inside = sizes[found] > 0 ? Long.compareUnsigned(offset, sizes[found]) < 0 : a < sectionEnd[found];
        return inside ? Optional.of(new SymbolHit(names[found], offset, objects[found])) : Optional.empty();
    }
}
