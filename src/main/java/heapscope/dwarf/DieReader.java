package heapscope.dwarf;

import heapscope.elf.ByteCursor;

import java.util.Arrays;

/**
 * Reads one DIE at a time, keeping only the attributes the symbolizer needs and skipping every other
 * attribute by its form. Values are kept raw (kind + number) and resolved through the {@link Unit}
 * afterwards, because DWARF 5 units may give their string/address bases after the attributes using them.
 * Instances are reusable scratch state for one walk; not thread-safe.
 */
final class DieReader {
    static final int K_NONE = 0;
    static final int K_CONST = 1;
    static final int K_ADDR = 2;
    static final int K_ADDRX = 3;
    static final int K_STRP = 4;
    static final int K_LINE_STRP = 5;
    static final int K_STRX = 6;
    static final int K_INLINE_STR = 7;
    static final int K_REF = 8;
    static final int K_RNGLISTX = 9;
    static final int K_OTHER = 10;
    static final int K_BLOCK = 11; // value: where the block's bytes start; its length in blockLength

    static final int S_NAME = 0;
    static final int S_LINKAGE = 1;
    static final int S_LOW_PC = 2;
    static final int S_HIGH_PC = 3;
    static final int S_RANGES = 4;
    static final int S_ORIGIN = 5;
    static final int S_SPEC = 6;
    static final int S_CALL_FILE = 7;
    static final int S_CALL_LINE = 8;
    static final int S_CALL_COLUMN = 9;
    static final int S_STMT_LIST = 10;
    static final int S_COMP_DIR = 11;
    static final int S_STR_OFF_BASE = 12;
    static final int S_ADDR_BASE = 13;
    static final int S_RNGLISTS_BASE = 14;
    static final int S_DECLARATION = 15;
    static final int S_SIBLING = 16;
    static final int S_LANGUAGE = 17;
    static final int S_MEMBER_LOCATION = 18;
    static final int S_CALL_RETURN_PC = 19;
    static final int S_CALL_ORIGIN = 20;
    static final int S_TAIL_CALL = 21;
    static final int S_EXTERNAL = 22;
    static final int S_INLINE = 23;
    static final int S_CALL_VALUE = 24;
    static final int S_ALL_CALLS = 25;
    static final int S_BYTE_SIZE = 26;
    static final int S_TYPE = 27;
    private static final int SLOTS = 28;

    final int[] kind = new int[SLOTS];
    final long[] value = new long[SLOTS];
    /** Length of the block whose start {@code value} holds for kind {@link #K_BLOCK}. */
    final long[] blockLength = new long[SLOTS];

    private static int slot(int attribute) {
        return switch (attribute) {
            case Dw.AT_NAME -> S_NAME;
            case Dw.AT_LINKAGE_NAME, Dw.AT_MIPS_LINKAGE_NAME -> S_LINKAGE;
            case Dw.AT_LOW_PC -> S_LOW_PC;
            case Dw.AT_HIGH_PC -> S_HIGH_PC;
            case Dw.AT_RANGES -> S_RANGES;
            case Dw.AT_ABSTRACT_ORIGIN -> S_ORIGIN;
            case Dw.AT_SPECIFICATION -> S_SPEC;
            case Dw.AT_CALL_FILE -> S_CALL_FILE;
            case Dw.AT_CALL_LINE -> S_CALL_LINE;
            case Dw.AT_CALL_COLUMN -> S_CALL_COLUMN;
            case Dw.AT_STMT_LIST -> S_STMT_LIST;
            case Dw.AT_COMP_DIR -> S_COMP_DIR;
            case Dw.AT_STR_OFFSETS_BASE -> S_STR_OFF_BASE;
            case Dw.AT_ADDR_BASE, Dw.AT_GNU_ADDR_BASE -> S_ADDR_BASE;
            case Dw.AT_RNGLISTS_BASE -> S_RNGLISTS_BASE;
            case Dw.AT_DECLARATION -> S_DECLARATION;
            case Dw.AT_SIBLING -> S_SIBLING;
            case Dw.AT_LANGUAGE -> S_LANGUAGE;
            case Dw.AT_DATA_MEMBER_LOCATION -> S_MEMBER_LOCATION;
            case Dw.AT_CALL_RETURN_PC -> S_CALL_RETURN_PC;
            case Dw.AT_CALL_ORIGIN -> S_CALL_ORIGIN;
            case Dw.AT_CALL_TAIL_CALL, Dw.AT_GNU_TAIL_CALL -> S_TAIL_CALL;
            case Dw.AT_EXTERNAL -> S_EXTERNAL;
            case Dw.AT_INLINE -> S_INLINE;
            case Dw.AT_CALL_VALUE, Dw.AT_GNU_CALL_SITE_VALUE -> S_CALL_VALUE;
            case Dw.AT_CALL_ALL_CALLS, Dw.AT_GNU_ALL_CALL_SITES -> S_ALL_CALLS;
            case Dw.AT_BYTE_SIZE -> S_BYTE_SIZE;
            case Dw.AT_TYPE -> S_TYPE;
            default -> -1;
        };
    }

    /**
     * Reads the DIE at the cursor. Returns its abbreviation, or null for a null entry (end of siblings).
     * Attributes are recorded only if {@code recordTag} is null or true at the DIE's tag; other DIEs
     * are skipped by their abbreviation's skip plan, which is what makes walking type-heavy units cheap.
     */
    Abbreviation read(ByteCursor c, UnitHeader u, AbbreviationTable abbrevs, boolean[] recordTag) {
        long code = c.uleb();
        if (code == 0) {
            return null;
        }
        Abbreviation a = abbrevs.get(code);
        if (a == null) {
            throw c.error("unknown abbreviation code " + code);
        }
        if (recordTag != null && (a.tag >= recordTag.length || !recordTag[a.tag])) {
            for (int step : a.skipPlan(u)) {
                if (step >= 0) {
                    c.skip(step);
                } else {
                    skip(c, u, -step);
                }
            }
            return a;
        }
        Arrays.fill(kind, K_NONE);
        int[] attrs = a.attributes;
        int[] forms = a.forms;
        for (int i = 0; i < attrs.length; i++) {
            int s = slot(attrs[i]);
            if (s < 0) {
                skip(c, u, forms[i]);
            } else {
                value[s] = readValue(c, u, forms[i], a.implicitConsts[i], s);
            }
        }
        return a;
    }

    boolean has(int slot) {
        return kind[slot] != K_NONE;
    }

    /** Reads one value into kind[slot] and returns the number. */
    private long readValue(ByteCursor c, UnitHeader u, int form, long implicitConst, int slot) {
        int k;
        long v;
        switch (form) {
            case Dw.FORM_ADDR -> { k = K_ADDR; v = c.unsigned(u.addressSize()); }
            case Dw.FORM_DATA1, Dw.FORM_FLAG -> { k = K_CONST; v = c.u8(); }
            case Dw.FORM_DATA2 -> { k = K_CONST; v = c.u16(); }
            case Dw.FORM_DATA4 -> { k = K_CONST; v = c.u32(); }
            case Dw.FORM_DATA8 -> { k = K_CONST; v = c.u64(); }
            case Dw.FORM_SDATA -> { k = K_CONST; v = c.sleb(); }
            case Dw.FORM_UDATA -> { k = K_CONST; v = c.uleb(); }
            case Dw.FORM_IMPLICIT_CONST -> { k = K_CONST; v = implicitConst; }
            case Dw.FORM_FLAG_PRESENT -> { k = K_CONST; v = 1; }
            case Dw.FORM_SEC_OFFSET -> { k = K_CONST; v = c.offset(u.dwarf64()); }
            case Dw.FORM_STRP -> { k = K_STRP; v = c.offset(u.dwarf64()); }
            case Dw.FORM_LINE_STRP -> { k = K_LINE_STRP; v = c.offset(u.dwarf64()); }
            case Dw.FORM_STRING -> { k = K_INLINE_STR; v = c.position(); c.skipCstring(); }
            case Dw.FORM_STRX, Dw.FORM_GNU_STR_INDEX -> { k = K_STRX; v = c.uleb(); }
            case Dw.FORM_STRX1 -> { k = K_STRX; v = c.u8(); }
            case Dw.FORM_STRX2 -> { k = K_STRX; v = c.u16(); }
            case Dw.FORM_STRX3 -> { k = K_STRX; v = c.u24(); }
            case Dw.FORM_STRX4 -> { k = K_STRX; v = c.u32(); }
            case Dw.FORM_ADDRX, Dw.FORM_GNU_ADDR_INDEX -> { k = K_ADDRX; v = c.uleb(); }
            case Dw.FORM_ADDRX1 -> { k = K_ADDRX; v = c.u8(); }
            case Dw.FORM_ADDRX2 -> { k = K_ADDRX; v = c.u16(); }
            case Dw.FORM_ADDRX3 -> { k = K_ADDRX; v = c.u24(); }
            case Dw.FORM_ADDRX4 -> { k = K_ADDRX; v = c.u32(); }
            case Dw.FORM_REF1 -> { k = K_REF; v = u.offset() + c.u8(); }
            case Dw.FORM_REF2 -> { k = K_REF; v = u.offset() + c.u16(); }
            case Dw.FORM_REF4 -> { k = K_REF; v = u.offset() + c.u32(); }
            case Dw.FORM_REF8 -> { k = K_REF; v = u.offset() + c.u64(); }
            case Dw.FORM_REF_UDATA -> { k = K_REF; v = u.offset() + c.uleb(); }
            case Dw.FORM_REF_ADDR -> { k = K_REF; v = u.version() <= 2 ? c.unsigned(u.addressSize()) : c.offset(u.dwarf64()); }
            case Dw.FORM_RNGLISTX -> { k = K_RNGLISTX; v = c.uleb(); }
            case Dw.FORM_EXPRLOC, Dw.FORM_BLOCK, Dw.FORM_BLOCK1, Dw.FORM_BLOCK2, Dw.FORM_BLOCK4 -> {
                long n = switch (form) {
                    case Dw.FORM_BLOCK1 -> c.u8();
                    case Dw.FORM_BLOCK2 -> c.u16();
                    case Dw.FORM_BLOCK4 -> c.u32();
                    default -> c.uleb();
                };
                k = K_BLOCK;
                v = c.position();
                blockLength[slot] = n;
                c.skip(n);
            }
            case Dw.FORM_INDIRECT -> {
                int actual = (int) c.uleb();
                if (actual == Dw.FORM_INDIRECT) {
                    throw c.error("DW_FORM_indirect refers to itself");
                }
                return readValue(c, u, actual, implicitConst, slot);
            }
            default -> { skip(c, u, form); k = K_OTHER; v = 0; }
        }
        kind[slot] = k;
        return v;
    }

    /** Skips one attribute value of the given form. */
    static void skip(ByteCursor c, UnitHeader u, int form) {
        switch (form) {
            case Dw.FORM_FLAG_PRESENT, Dw.FORM_IMPLICIT_CONST -> { }
            case Dw.FORM_DATA1, Dw.FORM_FLAG, Dw.FORM_REF1, Dw.FORM_STRX1, Dw.FORM_ADDRX1 -> c.skip(1);
            case Dw.FORM_DATA2, Dw.FORM_REF2, Dw.FORM_STRX2, Dw.FORM_ADDRX2 -> c.skip(2);
            case Dw.FORM_STRX3, Dw.FORM_ADDRX3 -> c.skip(3);
            case Dw.FORM_DATA4, Dw.FORM_REF4, Dw.FORM_STRX4, Dw.FORM_ADDRX4, Dw.FORM_REF_SUP4 -> c.skip(4);
            case Dw.FORM_DATA8, Dw.FORM_REF8, Dw.FORM_REF_SIG8, Dw.FORM_REF_SUP8 -> c.skip(8);
            case Dw.FORM_DATA16 -> c.skip(16);
            case Dw.FORM_ADDR -> c.skip(u.addressSize());
            case Dw.FORM_SDATA, Dw.FORM_UDATA, Dw.FORM_REF_UDATA, Dw.FORM_STRX, Dw.FORM_ADDRX, Dw.FORM_LOCLISTX,
                 Dw.FORM_RNGLISTX, Dw.FORM_GNU_ADDR_INDEX, Dw.FORM_GNU_STR_INDEX -> c.skipLeb();
            case Dw.FORM_STRP, Dw.FORM_LINE_STRP, Dw.FORM_SEC_OFFSET, Dw.FORM_STRP_SUP, Dw.FORM_GNU_REF_ALT,
                 Dw.FORM_GNU_STRP_ALT -> c.skip(u.dwarf64() ? 8 : 4);
            case Dw.FORM_REF_ADDR -> c.skip(u.version() <= 2 ? u.addressSize() : u.dwarf64() ? 8 : 4);
            case Dw.FORM_STRING -> c.skipCstring();
            case Dw.FORM_BLOCK1 -> c.skip(c.u8());
            case Dw.FORM_BLOCK2 -> c.skip(c.u16());
            case Dw.FORM_BLOCK4 -> c.skip(c.u32());
            case Dw.FORM_BLOCK, Dw.FORM_EXPRLOC -> c.skip(c.uleb());
            case Dw.FORM_INDIRECT -> {
                int actual = (int) c.uleb();
                if (actual == Dw.FORM_INDIRECT) {
                    throw c.error("DW_FORM_indirect refers to itself");
                }
                skip(c, u, actual);
            }
            default -> throw c.error("unknown attribute form 0x" + Integer.toHexString(form));
        }
    }
}
