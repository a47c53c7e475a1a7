package heapscope.dwarf;

import heapscope.elf.ByteCursor;

import java.util.Arrays;

/**
 * The functions of one unit with their inlined calls, from one walk over the unit's DIEs. Each
 * subprogram with code owns the inlined_subroutine entries below it, kept in DIE pre-order with their
 * inline depth, so the inline chain for an address is one forward pass over the function's entries
 * that skips the subtrees not containing it.
 */
final class FunctionTable {
    private final RangeIndex functionRanges;
    private final long[] functionDie;
    private final int[] functionFirstInline; // entries of function f: [first[f], first[f+1])
    private final int[] inlineDepth;
    private final long[] inlineDie;
    private final int[] inlineCallFile;
    private final int[] inlineCallLine;
    private final int[] inlineCallColumn;
    private final int[] inlineFirstRange; // ranges of entry i: [firstRange[i], firstRange[i+1])
    private final long[] rangeBegin;
    private final long[] rangeEnd;
    private final int[] subtreeEnd;
    private final String[] functionName;
    private final boolean[] functionLinkage;
    private final String[] inlineName;

    /** Names are resolved here, on the decoding thread, so lookups do no DIE work at all. */
    private FunctionTable(Builder b, FunctionNames names) {
        functionRanges = b.functionRanges.build();
        functionDie = Arrays.copyOf(b.functionDie, b.functions);
        // Group inline entries by function (a nested subprogram can interrupt its parent's entries),
        // keeping pre-order within each function: a counting sort on the owner.
        int n = b.inlines;
        functionFirstInline = new int[b.functions + 1];
        for (int i = 0; i < n; i++) {
            functionFirstInline[b.inlineFunction[i] + 1]++;
        }
        for (int f = 0; f < b.functions; f++) {
            functionFirstInline[f + 1] += functionFirstInline[f];
        }
        int[] next = Arrays.copyOf(functionFirstInline, b.functions);
        inlineDepth = new int[n];
        inlineDie = new long[n];
        inlineCallFile = new int[n];
        inlineCallLine = new int[n];
        inlineCallColumn = new int[n];
        inlineFirstRange = new int[n + 1];
        rangeBegin = new long[b.ranges];
        rangeEnd = new long[b.ranges];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[next[b.inlineFunction[i]]++] = i;
        }
        int r = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            inlineDepth[k] = b.inlineDepth[i];
            inlineDie[k] = b.inlineDie[i];
            inlineCallFile[k] = b.inlineCallFile[i];
            inlineCallLine[k] = b.inlineCallLine[i];
            inlineCallColumn[k] = b.inlineCallColumn[i];
            inlineFirstRange[k] = r;
            for (int j = b.inlineFirstRange[i]; j < b.inlineFirstRange[i] + b.inlineRangeCount[i]; j++) {
                rangeBegin[r] = b.rangeBegin[j];
                rangeEnd[r] = b.rangeEnd[j];
                r++;
            }
        }
        inlineFirstRange[n] = r;
        // subtreeEnd[k]: first entry after k's descendants, i.e. the next one no deeper than k
        subtreeEnd = new int[n];
        int[] stack = new int[16];
        int top = 0;
        for (int f = 0; f < b.functions; f++) {
            top = 0;
            for (int k = functionFirstInline[f]; k < functionFirstInline[f + 1]; k++) {
                while (top > 0 && inlineDepth[stack[top - 1]] >= inlineDepth[k]) {
                    subtreeEnd[stack[--top]] = k;
                }
                if (top == stack.length) {
                    stack = Arrays.copyOf(stack, top * 2);
                }
                stack[top++] = k;
            }
            while (top > 0) {
                subtreeEnd[stack[--top]] = functionFirstInline[f + 1];
            }
        }
        functionName = new String[b.functions];
        functionLinkage = new boolean[b.functions];
        for (int f = 0; f < b.functions; f++) {
            FunctionNames.Name name = names.of(functionDie[f]);
            functionName[f] = name.name();
            functionLinkage[f] = name.linkage();
        }
        inlineName = new String[n];
        for (int k = 0; k < n; k++) {
            inlineName[k] = names.of(inlineDie[k]).name();
        }
    }

    String functionName(int f) {
        return functionName[f];
    }

    boolean functionNameIsLinkage(int f) {
        return functionLinkage[f];
    }

    String inlineName(int i) {
        return inlineName[i];
    }

    /** Function containing {@code address}, or -1. */
    int function(long address) {
        return functionRanges.find(address);
    }

    /** Inline entries of function {@code f} containing {@code address}, outermost first. */
    int[] inlineChain(int f, long address) {
        int[] chain = new int[4];
        int n = 0;
        // Pre-order: an entry one level deeper than the chain that contains the address extends it
        // and the walk descends into it; one that does not is skipped with its whole subtree.
        // Siblings do not overlap, and a child's ranges lie within its parent's.
        int end = functionFirstInline[f + 1];
        for (int i = functionFirstInline[f]; i < end; ) {
            if (inlineDepth[i] == n + 1 && contains(i, address)) {
                if (n == chain.length) {
                    chain = Arrays.copyOf(chain, n * 2);
                }
                chain[n++] = i;
                i++;
            } else if (inlineDepth[i] <= n) {
                break; // left the subtree of the innermost match: nothing deeper can contain it
            } else {
                i = subtreeEnd[i];
            }
        }
        return Arrays.copyOf(chain, n);
    }

    private boolean contains(int entry, long address) {
        for (int r = inlineFirstRange[entry]; r < inlineFirstRange[entry + 1]; r++) {
            if (Long.compareUnsigned(address, rangeBegin[r]) >= 0 && Long.compareUnsigned(address, rangeEnd[r]) < 0) {
                return true;
            }
        }
        return false;
    }

    int inlineCallFile(int i) {
        return inlineCallFile[i];
    }

    int inlineCallLine(int i) {
        return inlineCallLine[i];
    }

    int inlineCallColumn(int i) {
        return inlineCallColumn[i];
    }

    private static boolean[] recordedTags() {
        boolean[] record = new boolean[0x100];
        record[Dw.TAG_SUBPROGRAM] = true;
        record[Dw.TAG_INLINED_SUBROUTINE] = true;
        for (int tag = 0; tag < record.length; tag++) {
            record[tag] |= isType(tag);
        }
        return record;
    }

    /**
     * Class, enumeration, structure and union DIEs. Outside functions their children never hold code
     * (GCC and Clang put member function definitions at namespace level, pointing back with
     * DW_AT_specification), so the walk jumps over them by DW_AT_sibling. Inside a function they may
     * (GCC nests a lambda's operator() in its closure type there).
     */
    static boolean isType(int tag) {
        return tag == 0x02 || tag == 0x04 || tag == 0x13 || tag == 0x17;
    }

    /** Walks every DIE of {@code u} once. */
    static FunctionTable scan(Unit u, CodeRanges code, FunctionNames names) {
        Builder b = new Builder();
        DieReader d = new DieReader();
        boolean[] record = recordedTags(); // tags whose attributes the walk needs; others are skipped
        ByteCursor c = u.info();
        c.seek(u.header.firstDie());
        int limit = (int) u.header.end();
        int[] funcAt = new int[64];
        int[] inlAt = new int[64];
        boolean[] insideFunction = new boolean[64];
        int depth = 0;
        funcAt[0] = -1;
        while (c.position() < limit) {
            long dieOffset = c.position();
            Abbreviation a = d.read(c, u.header, u.abbrevs, record);
            if (a == null) {
                if (--depth <= 0) {
                    break;
                }
                continue;
            }
            int func = funcAt[depth];
            int inl = inlAt[depth];
            if (isType(a.tag()) && a.hasChildren() && !insideFunction[depth]
                    && d.kind[DieReader.S_SIBLING] == DieReader.K_REF
                    && d.value[DieReader.S_SIBLING] > dieOffset && d.value[DieReader.S_SIBLING] <= limit) {
                c.seek(d.value[DieReader.S_SIBLING]);
                continue;
            }
            if (a.tag() == Dw.TAG_SUBPROGRAM) {
                func = -1;
                int before = b.ranges;
                u.ranges(d, (lo, hi) -> b.range(lo, hi, code));
                if (b.ranges > before) {
                    func = b.function(dieOffset);
                    for (int r = before; r < b.ranges; r++) {
                        b.functionRanges.add(b.rangeBegin[r], b.rangeEnd[r], func);
                    }
                    b.ranges = before; // function ranges live in the index, not the entry range list
                    inl = 0;
                }
            } else if (a.tag() == Dw.TAG_INLINED_SUBROUTINE && func >= 0) {
                int before = b.ranges;
                u.ranges(d, (lo, hi) -> b.range(lo, hi, code));
                if (b.ranges > before) {
                    long origin = d.kind[DieReader.S_ORIGIN] == DieReader.K_REF ? d.value[DieReader.S_ORIGIN] : dieOffset;
                    inl++;
                    b.inline(func, inl, origin, before, b.ranges - before, (int) value(d, DieReader.S_CALL_FILE),
                            (int) value(d, DieReader.S_CALL_LINE), (int) value(d, DieReader.S_CALL_COLUMN));
                } else {
                    func = -1; // a discarded inline copy: nothing below it can be reached
                }
            }
            if (a.hasChildren()) {
                depth++;
                if (depth == funcAt.length) {
                    funcAt = Arrays.copyOf(funcAt, depth * 2);
                    insideFunction = Arrays.copyOf(insideFunction, depth * 2);
                    inlAt = Arrays.copyOf(inlAt, depth * 2);
                }
                funcAt[depth] = func;
                insideFunction[depth] = insideFunction[depth - 1] || a.tag() == Dw.TAG_SUBPROGRAM;
                inlAt[depth] = inl;
            }
        }
        return new FunctionTable(b, names);
    }

    private static long value(DieReader d, int slot) {
        return d.kind[slot] == DieReader.K_CONST ? d.value[slot] : 0;
    }

    /** Growable arrays for {@link #scan}. */
    private static final class Builder {
        final RangeIndex.Builder functionRanges = new RangeIndex.Builder();
        long[] functionDie = new long[16];
        int functions;
        int[] inlineDepth = new int[16];
        long[] inlineDie = new long[16];
        int[] inlineCallFile = new int[16];
        int[] inlineCallLine = new int[16];
        int[] inlineCallColumn = new int[16];
        int[] inlineFirstRange = new int[16];
        int[] inlineRangeCount = new int[16];
        int[] inlineFunction = new int[16];
        int inlines;
        long[] rangeBegin = new long[16];
        long[] rangeEnd = new long[16];
        int ranges;

        void range(long lo, long hi, CodeRanges code) {
            if (Long.compareUnsigned(hi, lo) <= 0 || !code.isValid(lo)) {
                return;
            }
            if (ranges == rangeBegin.length) {
                rangeBegin = Arrays.copyOf(rangeBegin, ranges * 2);
                rangeEnd = Arrays.copyOf(rangeEnd, ranges * 2);
            }
            rangeBegin[ranges] = lo;
            rangeEnd[ranges] = hi;
            ranges++;
        }

        int function(long die) {
            if (functions == functionDie.length) {
                functionDie = Arrays.copyOf(functionDie, functionDie.length * 2);
            }
            functionDie[functions] = die;
            return functions++;
        }

        void inline(int func, int depth, long die, int firstRange, int rangeCount, int file, int line, int column) {
            if (inlines + 1 >= inlineDie.length) {
                int n = inlineDie.length * 2;
                inlineDepth = Arrays.copyOf(inlineDepth, n);
                inlineDie = Arrays.copyOf(inlineDie, n);
                inlineCallFile = Arrays.copyOf(inlineCallFile, n);
                inlineCallLine = Arrays.copyOf(inlineCallLine, n);
                inlineCallColumn = Arrays.copyOf(inlineCallColumn, n);
                inlineFirstRange = Arrays.copyOf(inlineFirstRange, n);
                inlineRangeCount = Arrays.copyOf(inlineRangeCount, n);
                inlineFunction = Arrays.copyOf(inlineFunction, n);
            }
            inlineDepth[inlines] = depth;
            inlineDie[inlines] = die;
            inlineCallFile[inlines] = file;
            inlineCallLine[inlines] = line;
            inlineCallColumn[inlines] = column;
            inlineFirstRange[inlines] = firstRange;
            inlineRangeCount[inlines] = rangeCount;
            inlineFunction[inlines] = func;
            inlines++;
        }
    }
}
