package heapscope.dwarf;

import heapscope.elf.ByteCursor;
import heapscope.elf.ElfFormatException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The program's static call graph as the compiler described it: every DW_TAG_call_site (DWARF 5) and
 * DW_TAG_GNU_call_site (DWARF 4) with its return address, the concrete out-of-line function whose code holds it
 * (through any inlined subroutines) and its callee, resolved to a concrete function of the program where DWARF
 * defines one. A site without an origin is an indirect call, or a call whose target the compiler did not know.
 *
 * <p>Functions are the subprograms with code; callee DIEs (declarations, abstract instances, specifications) are
 * followed to the definition by DIE reference, or by name for an external declared in another unit. What a callee
 * that no unit defines is called (a ROM or library function without DWARF) is kept as its name. Immutable.
 */
public final class CallGraph {
    private static final int MAX_HOPS = 16;
    private static final int DW_OP_ADDR = 0x03;
    private static final int DW_OP_ADDRX = 0xa1;
    private static final int DW_OP_GNU_ADDR_INDEX = 0xfb;

    private final long[] entry;
    private final String[] name;
    private final boolean[] external;
    private final int[] unit;
    private final boolean[] allCalls;
    private final boolean[] ambiguous;
    private final RangeIndex functionRanges;
    private final long[] siteReturn;
    private final int[] siteCaller;
    private final int[] siteCallee;
    private final String[] siteCalleeName;
    private final boolean[] siteTail;
    private final int[][] callers; // per function, its sites in return-address order
    private final long[] byReturn; // sorted return addresses, and the site of each
    private final int[] byReturnSite;
    private final Map<String, int[]> unresolvedCallers;
    private final long[] passedAddresses; // sorted: DW_OP_addr values given as call arguments
    private final int entries;
    private final List<ElfFormatException> damage;

    private CallGraph(Scan s) {
        int n = s.functions;
        entry = Arrays.copyOf(s.entry, n);
        name = new String[n];
        external = new boolean[n];
        unit = Arrays.copyOf(s.unit, n);
        allCalls = new boolean[n];
        ambiguous = new boolean[n];
        for (int f = 0; f < n; f++) {
            try {
                name[f] = s.names.of(s.die[f]).name();
                external[f] = s.flag(s.die[f], DieReader.S_EXTERNAL);
                allCalls[f] = !s.brokenUnits.contains(s.unit[f]) && s.flag(s.die[f], DieReader.S_ALL_CALLS);
            } catch (ElfFormatException e) { // damaged: assumed visible everywhere, its calls unknown
                external[f] = true;
                allCalls[f] = false;
                s.damage.add(e);
            }
        }
        functionRanges = s.ranges.build();
        // GCC put some call sites under an abstract instance: their code's function is the one holding the address
        int m = 0;
        for (int i = 0; i < s.sites; i++) {
            int caller = s.siteCaller[i] >= 0 ? s.siteCaller[i] : functionRanges.find(s.siteReturn[i] - 1);
            if (caller >= 0) {
                s.siteReturn[m] = s.siteReturn[i];
                s.siteCaller[m] = caller;
                s.siteOrigin[m] = s.siteOrigin[i];
                s.siteTail[m] = s.siteTail[i];
                m++;
            }
        }
        siteReturn = Arrays.copyOf(s.siteReturn, m);
        siteCaller = Arrays.copyOf(s.siteCaller, m);
        siteTail = Arrays.copyOf(s.siteTail, m);
        siteCallee = new int[m];
        siteCalleeName = new String[m];
        Map<String, Integer> externalByName = new HashMap<>();
        for (int f = 0; f < n; f++) {
            if (external[f] && name[f] != null) {
                externalByName.putIfAbsent(name[f], f);
            }
        }
        Map<String, List<Integer>> byName = new HashMap<>();
        int[] count = new int[n];
        for (int i = 0; i < m; i++) {
            long origin = s.siteOrigin[i];
            int callee;
            try {
                callee = origin < 0 ? -1 : s.function(origin);
            } catch (ElfFormatException e) { // damaged: a call to who knows where, as an indirect one
                s.damage.add(e);
                origin = -1;
                callee = -1;
            }
            String calleeName = null;
            if (callee == Scan.AMBIGUOUS) { // a DIE that several concrete functions (clones) refine
                for (int f : s.refinedBy(s.ambiguousAt)) {
                    ambiguous[f] = true;
                }
                callee = -1;
                calleeName = s.name(origin);
            } else if (origin >= 0 && callee < 0) {
                calleeName = s.name(origin);
                callee = calleeName == null ? -1 : externalByName.getOrDefault(calleeName, -1);
                if (callee < 0 && calleeName != null) {
                    byName.computeIfAbsent(calleeName, k -> new ArrayList<>()).add(i);
                }
            }
            siteCallee[i] = callee;
            siteCalleeName[i] = callee >= 0 ? name[callee] : calleeName;
            if (callee >= 0) {
                count[callee]++;
            }
        }
        callers = new int[n][];
        for (int f = 0; f < n; f++) {
            callers[f] = new int[count[f]];
            count[f] = 0;
        }
        for (int i = 0; i < m; i++) {
            if (siteCallee[i] >= 0) {
                callers[siteCallee[i]][count[siteCallee[i]]++] = i;
            }
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(siteReturn[a], siteReturn[b]));
        byReturn = new long[m];
        byReturnSite = new int[m];
        for (int i = 0; i < m; i++) {
            byReturn[i] = siteReturn[order[i]];
            byReturnSite[i] = order[i];
        }
        unresolvedCallers = new HashMap<>();
        byName.forEach((k, v) -> unresolvedCallers.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        passedAddresses = Arrays.copyOf(s.passed, s.passedCount);
        Arrays.sort(passedAddresses);
        entries = s.entries;
        damage = List.copyOf(s.damage);
    }

    /** Walks every unit once; {@code unitAt} finds the unit holding a .debug_info offset. */
    static CallGraph build(List<Unit> units, CodeRanges code, LongFunction<Unit> unitAt) {
        Scan s = new Scan(unitAt);
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            try {
                s.walk(u, i, code);
            } catch (ElfFormatException e) { // what came before the damage stands; the unit's calls are unknown
                s.brokenUnits.add(i);
                s.damage.add(e);
            }
        }
        return new CallGraph(s);
    }

    /** Call-site entries read, those whose return address lies outside the code (discarded sections) included. */
    public int callSiteEntries() {
        return entries;
    }

    /** Call sites kept: those with a return address in the code, inside a function. */
    public int siteCount() {
        return siteReturn.length;
    }

    public int functionCount() {
        return entry.length;
    }

    /** Units the walk left out for damaged debug information. */
    public List<ElfFormatException> damage() {
        return damage;
    }

    /** The concrete function whose code holds {@code address}, or -1. */
    public int functionAt(long address) {
        return functionRanges.find(address);
    }

    public long entry(int function) {
        return entry[function];
    }

    public String name(int function) {
        return name[function];
    }

    /** Which compilation unit (numbered from 0 in file order) the function is in. */
    public int unit(int function) {
        return unit[function];
    }

    /** Whether the function is visible to other units (DW_AT_external on it or the DIEs it refines). */
    public boolean external(int function) {
        return external[function];
    }

    /**
     * Whether the compiler says every call the function makes has a call-site entry (DW_AT_call_all_calls,
     * DW_AT_GNU_all_call_sites): code of functions without it may call anything unseen.
     */
    public boolean describesAllCalls(int function) {
        return allCalls[function];
    }

    /**
     * Whether some call names a DIE that several concrete functions refine (an out-of-line copy and its
     * clones), so that which of them it calls is unknown: each may have a caller not among its sites.
     */
    public boolean calledAmbiguously(int function) {
        return ambiguous[function];
    }

    /** The sites calling {@code function}, in the order of their return addresses within units. */
    public int[] callers(int function) {
        return callers[function].clone();
    }

    /** Sites calling, by name, a function no unit defines (no DWARF): for callees the symbol table names. */
    public int[] callersByName(String function) {
        int[] found = unresolvedCallers.get(function);
        return found == null ? new int[0] : found.clone();
    }

    public long returnAddress(int site) {
        return siteReturn[site];
    }

    public int caller(int site) {
        return siteCaller[site];
    }

    /** The called function, or -1 for an indirect call or a callee without DWARF. */
    public int callee(int site) {
        return siteCallee[site];
    }

    /** The callee's name where known (also for callees without DWARF); null for an indirect call. */
    public String calleeName(int site) {
        return siteCalleeName[site];
    }

    /** Whether the call names no callee: through a pointer, or to a target the compiler did not describe. */
    public boolean indirect(int site) {
        return siteCalleeName[site] == null;
    }

    public boolean tailCall(int site) {
        return siteTail[site];
    }

    /** The site returning to {@code returnAddress}, or -1 when no call-site entry has that return address. */
    public int siteAt(long returnAddress) {
        int at = Arrays.binarySearch(byReturn, returnAddress);
        return at < 0 ? -1 : byReturnSite[at];
    }

    /** Number of sites that name no callee. */
    public int indirectCount() {
        int n = 0;
        for (int i = 0; i < siteReturn.length; i++) {
            n += indirect(i) ? 1 : 0;
        }
        return n;
    }

    /** Whether {@code address} is passed as an argument by some call (a DW_OP_addr call value): a pointer taken. */
    public boolean passedAsArgument(long address) {
        return Arrays.binarySearch(passedAddresses, address) >= 0;
    }

    /** The walk's growing arrays and what it needs to resolve callees afterwards. */
    private static final class Scan {
        private static final boolean[] RECORD = recordedTags();

        final LongFunction<Unit> unitAt;
        final FunctionNames names;
        final DieReader chain = new DieReader();
        final Map<Long, Integer> byDie = new HashMap<>();
        static final int AMBIGUOUS = -2;
        final Set<Integer> brokenUnits = new HashSet<>();
        long ambiguousAt; // the DIE that made the last resolution AMBIGUOUS
        final Map<Long, List<Integer>> refinements = new HashMap<>();
        final List<ElfFormatException> damage = new ArrayList<>();
        final RangeIndex.Builder ranges = new RangeIndex.Builder();
        long[] entry = new long[256];
        long[] die = new long[256];
        int[] unit = new int[256];
        int functions;
        long[] siteReturn = new long[256];
        int[] siteCaller = new int[256];
        long[] siteOrigin = new long[256];
        boolean[] siteTail = new boolean[256];
        int sites;
        long[] passed = new long[64];
        int passedCount;
        int entries;

        Scan(LongFunction<Unit> unitAt) {
            this.unitAt = unitAt;
            this.names = new FunctionNames(unitAt);
        }

        private static boolean[] recordedTags() {
            boolean[] record = new boolean[Dw.TAG_GNU_CALL_SITE_PARAMETER + 1];
            for (int tag : new int[] {Dw.TAG_SUBPROGRAM, Dw.TAG_INLINED_SUBROUTINE, Dw.TAG_CALL_SITE,
                    Dw.TAG_CALL_SITE_PARAMETER, Dw.TAG_GNU_CALL_SITE, Dw.TAG_GNU_CALL_SITE_PARAMETER}) {
                record[tag] = true;
            }
            for (int tag = 0; tag < 0x100; tag++) {
                record[tag] |= FunctionTable.isType(tag); // for their DW_AT_sibling, to jump over them
            }
            return record;
        }

        void walk(Unit u, int unitIndex, CodeRanges code) {
            DieReader d = new DieReader();
            ByteCursor c = u.info();
            c.seek(u.header.firstDie());
            long limit = u.header.end();
            int[] funcAt = new int[64];
            boolean[] inside = new boolean[64];
            int depth = 0;
            funcAt[0] = -1;
            while (c.position() < limit) {
                long at = c.position();
                Abbreviation a = d.read(c, u.header, u.abbrevs, RECORD);
                if (a == null) {
                    if (--depth <= 0) {
                        break;
                    }
                    continue;
                }
                int func = funcAt[depth];
                int tag = a.tag();
                if (FunctionTable.isType(tag) && a.hasChildren() && !inside[depth] && d.kind[DieReader.S_SIBLING] == DieReader.K_REF
                        && d.value[DieReader.S_SIBLING] > at && d.value[DieReader.S_SIBLING] <= limit) {
                    c.seek(d.value[DieReader.S_SIBLING]);
                    continue;
                }
                if (tag == Dw.TAG_SUBPROGRAM) {
                    func = subprogram(u, unitIndex, d, at, code);
                } else if (tag == Dw.TAG_CALL_SITE || tag == Dw.TAG_GNU_CALL_SITE) {
                    entries++;
                    int pc = tag == Dw.TAG_CALL_SITE ? DieReader.S_CALL_RETURN_PC : DieReader.S_LOW_PC;
                    long ret = d.has(pc) ? u.address(d.kind[pc], d.value[pc]) & u.addressMask() : 0;
                    if (ret != 0 && code.isValid(ret)) { // no function: placed by its address afterwards
                        int origin = d.kind[DieReader.S_CALL_ORIGIN] == DieReader.K_REF ? DieReader.S_CALL_ORIGIN
                                : DieReader.S_ORIGIN;
                        site(ret, func, d.kind[origin] == DieReader.K_REF ? d.value[origin] : -1,
                                d.has(DieReader.S_TAIL_CALL));
                    }
                } else if ((tag == Dw.TAG_CALL_SITE_PARAMETER || tag == Dw.TAG_GNU_CALL_SITE_PARAMETER)
                        && d.kind[DieReader.S_CALL_VALUE] == DieReader.K_BLOCK) {
                    passedAddress(u, d.value[DieReader.S_CALL_VALUE], d.blockLength[DieReader.S_CALL_VALUE]);
                }
                if (a.hasChildren()) {
                    depth++;
                    if (depth == funcAt.length) {
                        funcAt = Arrays.copyOf(funcAt, depth * 2);
                        inside = Arrays.copyOf(inside, depth * 2);
                    }
                    funcAt[depth] = func;
                    inside[depth] = inside[depth - 1] || tag == Dw.TAG_SUBPROGRAM;
                }
            }
        }

        /** Adds a subprogram with code as a function; -1 (no function) for abstract instances and declarations. */
        private int subprogram(Unit u, int unitIndex, DieReader d, long at, CodeRanges code) {
            long[] low = {-1};
            List<long[]> found = new ArrayList<>();
            u.ranges(d, (lo, hi) -> {
                if (Long.compareUnsigned(hi, lo) > 0 && code.isValid(lo)) {
                    found.add(new long[] {lo, hi});
                    if (low[0] == -1 || Long.compareUnsigned(lo, low[0]) < 0) {
                        low[0] = lo;
                    }
                }
            });
            if (found.isEmpty()) {
                return -1;
            }
            long start = d.has(DieReader.S_LOW_PC) ? u.address(d.kind[DieReader.S_LOW_PC], d.value[DieReader.S_LOW_PC])
                    : low[0];
            if (functions == entry.length) {
                entry = Arrays.copyOf(entry, functions * 2);
                die = Arrays.copyOf(die, functions * 2);
                unit = Arrays.copyOf(unit, functions * 2);
            }
            int f = functions++;
            entry[f] = start & u.addressMask();
            die[f] = at;
            unit[f] = unitIndex;
            for (long[] r : found) {
                ranges.add(r[0], r[1], f);
            }
            byDie.put(at, f);
            for (int slot : new int[] {DieReader.S_ORIGIN, DieReader.S_SPEC}) {
                if (d.kind[slot] == DieReader.K_REF) {
                    List<Integer> by = refinements.computeIfAbsent(d.value[slot], k -> new ArrayList<>());
                    by.add(f);
                    byDie.put(d.value[slot], by.size() == 1 ? f : AMBIGUOUS);
                }
            }
            return f;
        }

        private void site(long ret, int caller, long origin, boolean tail) {
            if (sites == siteReturn.length) {
                int n = sites * 2;
                siteReturn = Arrays.copyOf(siteReturn, n);
                siteCaller = Arrays.copyOf(siteCaller, n);
                siteOrigin = Arrays.copyOf(siteOrigin, n);
                siteTail = Arrays.copyOf(siteTail, n);
            }
            siteReturn[sites] = ret;
            siteCaller[sites] = caller;
            siteOrigin[sites] = origin;
            siteTail[sites] = tail;
            sites++;
        }

        /** Keeps the address of a call value that is one DW_OP_addr (or addrx): a pointer passed to the callee. */
        private void passedAddress(Unit u, long start, long length) {
            if (length < 2) {
                return;
            }
            ByteCursor c = u.info();
            c.seek(start);
            int op = c.u8();
            long address;
            if (op == DW_OP_ADDR && length == 1 + u.header.addressSize()) {
                address = c.unsigned(u.header.addressSize());
            } else if (op == DW_OP_ADDRX || op == DW_OP_GNU_ADDR_INDEX) {
                address = u.address(DieReader.K_ADDRX, c.uleb());
            } else {
                return;
            }
            if (passedCount == passed.length) {
                passed = Arrays.copyOf(passed, passedCount * 2);
            }
            passed[passedCount++] = address & u.addressMask();
        }

        /** The function a callee DIE stands for: followed by abstract origin and specification to a definition. */
        int function(long offset) {
            long at = offset;
            for (int hop = 0; hop < MAX_HOPS; hop++) {
                Integer f = byDie.get(at);
                if (f != null) {
                    ambiguousAt = at;
                    return f;
                }
                long next = next(at);
                if (next < 0) {
                    return -1;
                }
                at = next;
            }
            return -1;
        }

        /** The name of the DIE at OFFSET, or null where the debug information there is damaged. */
        String name(long offset) {
            try {
                return names.of(offset).name();
            } catch (ElfFormatException e) {
                damage.add(e);
                return null;
            }
        }

        List<Integer> refinedBy(long offset) {
            return refinements.getOrDefault(offset, List.of());
        }

        /** Whether the flag in SLOT is set on the DIE or any DIE it refines. */
        boolean flag(long offset, int slot) {
            long at = offset;
            for (int hop = 0; hop < MAX_HOPS && at >= 0; hop++) {
                if (read(at) && chain.has(slot) && chain.value[slot] != 0) {
                    return true;
                }
                at = next(at);
            }
            return false;
        }

        /** The DIE that the one at {@code offset} refines (abstract origin, else specification), or -1. */
        private long next(long offset) {
            if (!read(offset)) {
                return -1;
            }
            if (chain.kind[DieReader.S_ORIGIN] == DieReader.K_REF) {
                return chain.value[DieReader.S_ORIGIN];
            }
            return chain.kind[DieReader.S_SPEC] == DieReader.K_REF ? chain.value[DieReader.S_SPEC] : -1;
        }

        private boolean read(long offset) {
            Unit u = unitAt.apply(offset);
            if (u == null) {
                return false;
            }
            ByteCursor c = u.info();
            c.seek(offset);
            return chain.read(c, u.header, u.abbrevs, null) != null;
        }
    }
}
