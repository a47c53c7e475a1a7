package heapscope.dwarf;

import heapscope.elf.ByteCursor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The abbreviations of one unit, decoded on demand: building the unit index needs only the top DIE's
 * abbreviation, so declarations are parsed only as far as the highest code asked for. Codes are
 * usually dense from 1, so they index an array. Safe to share between the lookup thread and the
 * prefetching thread.
 */
final class AbbreviationTable {
    private final ByteCursor cursor;
    private Abbreviation[] dense = new Abbreviation[16];
    private int denseCount;
    private final Map<Long, Abbreviation> sparse = new HashMap<>();
    private boolean complete;

    /** @param cursor positioned at the table's first declaration */
    AbbreviationTable(ByteCursor cursor) {
        this.cursor = cursor;
    }

    /** The abbreviation for {@code code}, or null if the table has none. */
    synchronized Abbreviation get(long code) {
        while (true) {
            if (code >= 1 && code <= denseCount) {
                return dense[(int) code - 1];
            }
            Abbreviation a = sparse.get(code);
            if (a != null || complete) {
                return a;
            }
            parseNext();
        }
    }

    private void parseNext() {
        ByteCursor c = cursor;
        long code = c.uleb();
        if (code == 0) {
            complete = true;
            return;
        }
        long tagCode = c.uleb();
        if (tagCode > 0xffff) { // DW_TAG_hi_user; larger values would wrap around as array indexes
            throw c.error("abbreviation " + code + " has tag " + tagCode + ", beyond DWARF's 0xffff");
        }
        int tag = (int) tagCode;
        boolean children = c.u8() != 0;
        int[] attrs = new int[8];
        int[] forms = new int[8];
        long[] consts = null;
        int n = 0;
        while (true) {
            int at = (int) Math.min(c.uleb(), Integer.MAX_VALUE); // an unknown attribute, not a negative one
            int form = (int) Math.min(c.uleb(), Integer.MAX_VALUE);
            long implicit = form == Dw.FORM_IMPLICIT_CONST ? c.sleb() : 0;
            if (at == 0 && form == 0) {
                break;
            }
            if (n == attrs.length) {
                attrs = Arrays.copyOf(attrs, n * 2);
                forms = Arrays.copyOf(forms, n * 2);
                if (consts != null) {
                    consts = Arrays.copyOf(consts, n * 2);
                }
            }
            if (form == Dw.FORM_IMPLICIT_CONST) {
                if (consts == null) {
                    consts = new long[attrs.length];
                }
                consts[n] = implicit;
            }
            attrs[n] = at;
            forms[n] = form;
            n++;
        }
        Abbreviation a = new Abbreviation((int) code, tag, children, Arrays.copyOf(attrs, n), Arrays.copyOf(forms, n),
                consts == null ? new long[n] : Arrays.copyOf(consts, n));
        if (code == denseCount + 1) {
            if (denseCount == dense.length) {
                dense = Arrays.copyOf(dense, denseCount * 2);
            }
            dense[denseCount++] = a;
        } else {
            sparse.put(code, a);
        }
    }
}
