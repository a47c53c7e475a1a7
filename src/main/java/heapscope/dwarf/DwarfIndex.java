package heapscope.dwarf;

import heapscope.elf.ByteCursor;
import heapscope.elf.ElfFormatException;
import heapscope.util.Sorted;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;

/**
 * Address lookups over all compilation units of one file. Opening scans only unit headers and each
 * unit's top DIE to build a sorted index of unit address ranges (.debug_aranges is not trusted: it is
 * often missing or incomplete). A unit's line table and functions are decoded on the first lookup that
 * lands in it. Lookups come from one thread; {@link #prefetch()} decodes ahead on another, each unit's
 * decoding being synchronized.
 *
 * <p>Damaged debug information costs only the units it is in: a unit that fails to decode is left out (its
 * addresses get no source frames, so the symbol table names them), and {@link #damage()} says where it failed.
 */
public final class DwarfIndex {
    private final CodeRanges code;
    private final List<Unit> units;
    private final long[] unitOffsets;
    private final RangeIndex unitRanges;
    private final List<Unit> unitsWithoutRanges;
    private final LongFunction<Unit> unitLocator = this::unitAt;
    private final Set<Unit> broken = ConcurrentHashMap.newKeySet();
    /** Structures looked up by name: a core dump's heap asks for the same few on every reading. */
    private final Map<String, Optional<StructLayout>> structs = new ConcurrentHashMap<>();
    private final List<ElfFormatException> damage = new CopyOnWriteArrayList<>();
    private CallGraph callGraph; // built on first need: symbolizing never needs it

    private DwarfIndex(DwarfSections sections, CodeRanges code) {
        this.code = code;
        this.units = new ArrayList<>();
        this.unitsWithoutRanges = new ArrayList<>();
        Map<Long, AbbreviationTable> abbrevCache = new HashMap<>();
        RangeIndex.Builder ranges = new RangeIndex.Builder();
        DieReader d = new DieReader();
        ByteCursor c = sections.info().cursor(sections.file());
        while (c.remaining() > 0) {
            UnitHeader h;
            try {
                h = UnitHeader.parse(c);
            } catch (ElfFormatException e) {
                damage.add(e); // without a sound length the next unit cannot be found: the rest is lost
                break;
            }
            c.seek(h.end());
            if (h.unitType() != Dw.UT_COMPILE && h.unitType() != Dw.UT_PARTIAL && h.unitType() != Dw.UT_SKELETON) {
                continue; // type units hold no code
            }
            try {
                scan(h, sections, abbrevCache, d, ranges);
            } catch (ElfFormatException e) {
                damage.add(e);
            }
        }
        unitOffsets = units.stream().mapToLong(u -> u.header.offset()).toArray();
        unitRanges = ranges.build();
    }

    /** Indexes one unit, or throws before anything of it is kept. */
    private void scan(UnitHeader h, DwarfSections sections, Map<Long, AbbreviationTable> abbrevCache, DieReader d,
                      RangeIndex.Builder ranges) {
        AbbreviationTable abbrevs = abbrevCache.get(h.abbrevOffset());
        if (abbrevs == null) {
            ByteCursor a = sections.abbrev().cursor(sections.file());
            a.seek(h.abbrevOffset());
            abbrevs = new AbbreviationTable(a);
            abbrevCache.put(h.abbrevOffset(), abbrevs);
        }
        Unit u = new Unit(h, abbrevs, sections);
        ByteCursor die = sections.info().cursor(sections.file());
        die.seek(h.firstDie());
        if (h.firstDie() >= h.end() || d.read(die, h, abbrevs, null) == null) {
            return;
        }
        u.readTopDie(d);
        List<long[]> found = new ArrayList<>();
        u.ranges(d, (lo, hi) -> found.add(new long[] {lo, hi}));
        int index = units.size();
        units.add(u);
        for (long[] r : found) {
            if (code.isValid(r[0])) {
                ranges.add(r[0], r[1], index);
            }
        }
        if (found.isEmpty()) {
            unitsWithoutRanges.add(u);
        }
    }

    /**
     * Where decoding of the debug information failed, in the order found: units left out while indexing, and those
     * whose lines or functions failed on a lookup. Empty for sound debug information.
     */
    public List<ElfFormatException> damage() {
        return List.copyOf(damage);
    }

    /**
     * Starts decoding every unit's lines and functions on a background daemon thread, so that a caller
     * about to look up many addresses spread over the image gets the second core's help. Lookups stay
     * correct at any point: a unit is decoded once, by whichever thread needs it first.
     */
    public void prefetch() {
        Thread t = new Thread(() -> {
            try {
                for (int i = units.size() - 1; i >= 0; i--) { // from the end: lookups tend to start low
                    Unit u = units.get(i);
                    u.lines(code);
                    u.functions(code, unitLocator);
                }
            } catch (RuntimeException e) {
                // malformed unit: the lookup that needs it reports the error in the caller's thread
            }
        }, "dwarf-prefetch");
        t.setDaemon(true);
        t.start();
    }

    /** Builds the unit index; {@code code} tells which addresses hold real code. */
    public static DwarfIndex build(DwarfSections sections, CodeRanges code) {
        return new DwarfIndex(sections, code);
    }

    /** The call graph of the call-site entries of every unit, built on the first call. */
    public synchronized CallGraph callGraph() {
        if (callGraph == null) {
            callGraph = CallGraph.build(units, code, unitLocator);
        }
        return callGraph;
    }

    public int unitCount() {
        return units.size();
    }

    /**
     * Frames for {@code address}, innermost first; empty if no unit describes it. The first frame's
     * location comes from the line table, each outer frame's from the call site of the inlined frame
     * inside it.
     */
    public List<SourceFrame> lookup(long address) {
        int innermost = unitRanges.find(address);
        if (innermost >= 0) {
            List<SourceFrame> frames = lookupIn(units.get(innermost), address);
            if (!frames.isEmpty()) {
                return frames;
            }
            for (int i : unitRanges.findAll(address)) { // overlapping units (rare): try the others
                frames = i == innermost ? List.of() : lookupIn(units.get(i), address);
                if (!frames.isEmpty()) {
                    return frames;
                }
            }
        }
        // Units that state no ranges at all (some assembler output): try their line tables.
        for (Unit u : unitsWithoutRanges) {
            List<SourceFrame> frames = lookupIn(u, address);
            if (!frames.isEmpty()) {
                return frames;
            }
        }
        return List.of();
    }

    /** {@link #resolve} in one unit; nothing from a unit whose data is damaged (the first failure is kept). */
    private List<SourceFrame> lookupIn(Unit u, long address) {
        if (broken.contains(u)) {
            return List.of();
        }
        try {
            return resolve(u, address);
        } catch (ElfFormatException e) {
            if (broken.add(u)) {
                damage.add(e);
            }
            return List.of();
        }
    }

    private List<SourceFrame> resolve(Unit u, long address) {
        LineTable lines = u.lines(code);
        int row = lines.find(address);
        FunctionTable functions = u.functions(code, unitLocator);
        int f = functions.function(address);
        if (f < 0) {
            if (row < 0) {
                return List.of();
            }
            return List.of(new SourceFrame(null, lines.rowFile(row), lines.rowLine(row), lines.rowColumn(row), false, false));
        }
        int[] chain = functions.inlineChain(f, address);
        SourceFrame[] frames = new SourceFrame[chain.length + 1];
        int n = 0;
        String file = row < 0 ? null : lines.rowFile(row);
        int line = row < 0 ? 0 : lines.rowLine(row);
        int column = row < 0 ? 0 : lines.rowColumn(row);
        for (int k = chain.length - 1; k >= 0; k--) {
            int e = chain[k];
            frames[n++] = new SourceFrame(functions.inlineName(e), file, line, column, true, false);
            file = lines.file(functions.inlineCallFile(e));
            line = functions.inlineCallLine(e);
            column = functions.inlineCallColumn(e);
        }
        frames[n] = new SourceFrame(functions.functionName(f), file, line, column, false,
                !functions.functionNameIsLinkage(f) && u.mangledLanguage);
        return List.of(frames);
    }

    private Unit unitAt(long offset) {
        int found = Sorted.lastAtOrBefore(unitOffsets, offset);
        if (found < 0) {
            return null;
        }
        Unit u = units.get(found);
        return offset < u.header.end() ? u : null;
    }

    /**
     * The structure named {@code name} as its first complete definition in any unit describes it, or else the
     * structure a typedef of that name stands for ({@code typedef struct { ... } records_t;}); empty when no unit
     * does. Members located by an expression rather than a constant are left out.
     */
    public Optional<StructLayout> struct(String name) {
        return structs.computeIfAbsent(name, this::findStruct);
    }

    /** {@link #struct} without the memo: every unit is scanned, twice when the name is only a typedef's. */
    private Optional<StructLayout> findStruct(String name) {
        boolean[] record = new boolean[0x100];
        record[Dw.TAG_STRUCTURE_TYPE] = true;
        record[Dw.TAG_MEMBER] = true;
        record[Dw.TAG_TYPEDEF] = true;
        DieReader d = new DieReader();
        for (boolean typedef : new boolean[] {false, true}) {
            for (Unit u : units) {
                try {
                    long at = typedef ? typedefTarget(u, name, d, record) : -1;
                    StructLayout found = typedef && at < 0 ? null : struct(u, name, at, d, record);
                    if (found != null) {
                        return Optional.of(found);
                    }
                } catch (ElfFormatException e) {
                    damage.add(e);
                }
            }
        }
        return Optional.empty();
    }

    /** The .debug_info offset of the type the typedef {@code name} of unit {@code u} names, or -1. */
    private static long typedefTarget(Unit u, String name, DieReader d, boolean[] record) {
        ByteCursor c = u.info();
        c.seek(u.header.firstDie());
        int limit = (int) u.header.end();
        while (c.position() < limit) {
            Abbreviation a = d.read(c, u.header, u.abbrevs, record);
            if (a != null && a.tag() == Dw.TAG_TYPEDEF && d.kind[DieReader.S_TYPE] == DieReader.K_REF
                    && name.equals(u.string(d.kind[DieReader.S_NAME], d.value[DieReader.S_NAME]))) {
                return d.value[DieReader.S_TYPE];
            }
        }
        return -1;
    }

    /** The structure of unit {@code u} named {@code name}, or the one at .debug_info offset {@code at} when not -1. */
    private static StructLayout struct(Unit u, String name, long at, DieReader d, boolean[] record) {
        ByteCursor c = u.info();
        c.seek(u.header.firstDie());
        int limit = (int) u.header.end();
        int depth = 0;
        int structDepth = -1;
        long size = -1;
        Map<String, Long> members = null;
        while (c.position() < limit) {
            long offset = c.position();
            Abbreviation a = d.read(c, u.header, u.abbrevs, record);
            if (a == null) {
                if (structDepth >= 0 && depth == structDepth + 1) {
                    break;
                }
                if (--depth <= 0) {
                    return null;
                }
                continue;
            }
            boolean recorded = a.tag() < record.length && record[a.tag()];
            if (structDepth < 0 && recorded && a.tag() == Dw.TAG_STRUCTURE_TYPE && a.hasChildren() && !d.has(DieReader.S_DECLARATION)
                    && (at >= 0 ? offset == at : name.equals(u.string(d.kind[DieReader.S_NAME], d.value[DieReader.S_NAME])))) {
                structDepth = depth;
                size = d.kind[DieReader.S_BYTE_SIZE] == DieReader.K_CONST ? d.value[DieReader.S_BYTE_SIZE] : -1;
                members = new LinkedHashMap<>();
            } else if (structDepth >= 0 && depth == structDepth + 1 && recorded && a.tag() == Dw.TAG_MEMBER
                    && d.kind[DieReader.S_MEMBER_LOCATION] == DieReader.K_CONST && d.has(DieReader.S_NAME)) {
                members.put(u.string(d.kind[DieReader.S_NAME], d.value[DieReader.S_NAME]), d.value[DieReader.S_MEMBER_LOCATION]);
            }
            if (a.hasChildren()) {
                depth++;
            }
        }
        return members == null ? null : new StructLayout(name, size, members);
    }
}
