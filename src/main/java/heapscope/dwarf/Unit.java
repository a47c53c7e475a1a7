package heapscope.dwarf;

import heapscope.elf.ByteCursor;

import java.util.function.LongFunction;

/**
 * One compilation unit: header, abbreviations, the bases from its top DIE, and (built on first use)
 * its line table and function table.
 */
final class Unit {
    final UnitHeader header;
    final AbbreviationTable abbrevs;
    private final DwarfSections sections;
    long strOffsetsBase;
    long addrBase;
    long rnglistsBase;
    long baseAddress;
    long stmtList = -1;
    String compDir;
    String name;
    /** Language whose DW_AT_name is not the symbol name (C++ and friends), as binutils' non_mangled(). */
    boolean mangledLanguage;
    // volatile: read without the lock once decoded (the lock is only for the first, decoding call)
    private volatile LineTable lines;
    private volatile FunctionTable functions;

    Unit(UnitHeader header, AbbreviationTable abbrevs, DwarfSections sections) {
        this.header = header;
        this.abbrevs = abbrevs;
        this.sections = sections;
        // DWARF 5 bases default to just past the section headers when the unit does not give them.
        int headerSize = header.dwarf64() ? 16 : 8;
        this.strOffsetsBase = headerSize;
        this.addrBase = headerSize;
        this.rnglistsBase = headerSize + (header.dwarf64() ? 4 : 0) + 4;
    }

    DwarfSections sections() {
        return sections;
    }

    ByteCursor info() {
        return sections.info().cursor(sections.file());
    }

    /** Resolves an address-class value read by a {@link DieReader}. */
    long address(int kind, long value) {
        if (kind == DieReader.K_ADDRX) {
            ByteCursor c = sections.addr().cursor(sections.file());
            c.seek(addrBase + value * header.addressSize());
            return c.unsigned(header.addressSize());
        }
        return value;
    }

    /** Resolves a string-class value read by a {@link DieReader}; null for unusable forms. */
    String string(int kind, long value) {
        return switch (kind) {
            case DieReader.K_STRP -> sections.str().cursor(sections.file()).cstringAt(value);
            case DieReader.K_LINE_STRP -> sections.lineStr().cursor(sections.file()).cstringAt(value);
            case DieReader.K_INLINE_STR -> info().cstringAt(value);
            case DieReader.K_STRX -> {
                ByteCursor c = sections.strOffsets().cursor(sections.file());
                int size = header.dwarf64() ? 8 : 4;
                c.seek(strOffsetsBase + value * size);
                yield sections.str().cursor(sections.file()).cstringAt(c.unsigned(size));
            }
            default -> null;
        };
    }

    /** Takes the bases and identity of the unit from its top DIE. */
    void readTopDie(DieReader d) {
        if (d.has(DieReader.S_STR_OFF_BASE)) {
            strOffsetsBase = d.value[DieReader.S_STR_OFF_BASE];
        }
        if (d.has(DieReader.S_ADDR_BASE)) {
            addrBase = d.value[DieReader.S_ADDR_BASE];
        }
        if (d.has(DieReader.S_RNGLISTS_BASE)) {
            rnglistsBase = d.value[DieReader.S_RNGLISTS_BASE];
        }
        if (d.has(DieReader.S_LOW_PC)) {
            baseAddress = address(d.kind[DieReader.S_LOW_PC], d.value[DieReader.S_LOW_PC]);
        }
        if (d.has(DieReader.S_STMT_LIST)) {
            stmtList = d.value[DieReader.S_STMT_LIST];
        }
        if (d.kind[DieReader.S_LANGUAGE] == DieReader.K_CONST) {
            mangledLanguage = isMangled(d.value[DieReader.S_LANGUAGE]);
        }
        compDir = d.has(DieReader.S_COMP_DIR) ? string(d.kind[DieReader.S_COMP_DIR], d.value[DieReader.S_COMP_DIR]) : null;
        name = d.has(DieReader.S_NAME) ? string(d.kind[DieReader.S_NAME], d.value[DieReader.S_NAME]) : null;
    }

    /** Emits the address ranges of the DIE just read by {@code d}. */
    void ranges(DieReader d, RangeSink sink) {
        if (d.has(DieReader.S_RANGES)) {
            long v = d.value[DieReader.S_RANGES];
            if (d.kind[DieReader.S_RANGES] == DieReader.K_RNGLISTX) {
                ByteCursor c = sections.rnglists().cursor(sections.file());
                int size = header.dwarf64() ? 8 : 4;
                c.seek(rnglistsBase + v * size);
                v = rnglistsBase + c.unsigned(size);
            }
            if (header.version() >= 5) {
                RangeLists.rnglist(this, v, sink);
            } else {
                RangeLists.ranges(this, v, sink);
            }
        } else if (d.has(DieReader.S_LOW_PC) && d.has(DieReader.S_HIGH_PC)) {
            long low = address(d.kind[DieReader.S_LOW_PC], d.value[DieReader.S_LOW_PC]);
            long high = d.kind[DieReader.S_HIGH_PC] == DieReader.K_CONST
                    ? low + d.value[DieReader.S_HIGH_PC]
                    : address(d.kind[DieReader.S_HIGH_PC], d.value[DieReader.S_HIGH_PC]);
            sink.range(low, high);
        }
    }

    private static boolean isMangled(long language) {
        return language == 0x04 || language == 0x11 || language == 0x13 || language == 0x19 || language == 0x1a
                || language == 0x1c || language == 0x21 || language == 0x2b; // C++ (all), ObjC++, D, Rust, C++17/20
    }

    /** Decodes under the lock: a prefetching thread may be decoding the same unit. */
    LineTable lines(CodeRanges code) {
        LineTable l = lines;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (lines == null) {
                lines = stmtList < 0 ? LineTable.EMPTY : LineProgram.run(this, stmtList, code);
            }
            return lines;
        }
    }

    FunctionTable functions(CodeRanges code, LongFunction<Unit> unitAt) {
        FunctionTable f = functions;
        if (f != null) {
            return f;
        }
        synchronized (this) {
            if (functions == null) {
                functions = FunctionTable.scan(this, code, new FunctionNames(unitAt));
            }
            return functions;
        }
    }

    long addressMask() {
        return header.addressSize() == 8 ? -1L : (1L << (8 * header.addressSize())) - 1;
    }

    /** Receives address ranges [begin, end). */
    interface RangeSink {
        void range(long begin, long end);
    }
}
