package heapscope.dwarf;

import heapscope.elf.ByteCursor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The abbreviations of one unit. Codes are usually dense from 1, so they index an array. */
final class AbbreviationTable {
    private final Abbreviation[] dense;
    private final Map<Integer, Abbreviation> sparse;

    private AbbreviationTable(Abbreviation[] dense, Map<Integer, Abbreviation> sparse) {
        this.dense = dense;
        this.sparse = sparse;
    }

    static AbbreviationTable parse(ByteCursor c) {
        List<Abbreviation> list = new ArrayList<>();
        Map<Integer, Abbreviation> sparse = new HashMap<>();
        List<Integer> attrs = new ArrayList<>();
        List<Integer> forms = new ArrayList<>();
        List<Long> consts = new ArrayList<>();
        while (true) {
            long code = c.uleb();
            if (code == 0) {
                break;
            }
            if (code > Integer.MAX_VALUE) {
                throw c.error("abbreviation code " + code + " too large");
            }
            int tag = (int) c.uleb();
            boolean children = c.u8() != 0;
            attrs.clear();
            forms.clear();
            consts.clear();
            while (true) {
                int at = (int) c.uleb();
                int form = (int) c.uleb();
                long implicit = form == Dw.FORM_IMPLICIT_CONST ? c.sleb() : 0;
                if (at == 0 && form == 0) {
                    break;
                }
                attrs.add(at);
                forms.add(form);
                consts.add(implicit);
            }
            Abbreviation a = new Abbreviation((int) code, tag, children,
                    attrs.stream().mapToInt(Integer::intValue).toArray(),
                    forms.stream().mapToInt(Integer::intValue).toArray(),
                    consts.stream().mapToLong(Long::longValue).toArray());
            if (code == list.size() + 1) {
                list.add(a);
            } else {
                sparse.put((int) code, a);
            }
        }
        return new AbbreviationTable(list.toArray(new Abbreviation[0]), sparse);
    }

    /** The abbreviation for {@code code}, or null. */
    Abbreviation get(long code) {
        if (code >= 1 && code <= dense.length) {
            return dense[(int) code - 1];
        }
        return sparse.get((int) code);
    }
}
