package heapscope.dwarf;

import java.util.Arrays;

/**
 * One abbreviation declaration: the shape shared by DIEs that use its code. Also caches how to skip a
 * whole DIE of this shape quickly: runs of fixed-size attributes collapse into one skip.
 */
final class Abbreviation {
    final int code;
    final int tag;
    final boolean hasChildren;
    final int[] attributes;
    final int[] forms;
    final long[] implicitConsts;
    /** Cached skip plan; one immutable object so that a reader on another thread sees key and plan together. */
    private volatile SkipPlan plan;

    /** n >= 0 skips n bytes, n < 0 skips one value of form -n; valid for units of shape {@code key}. */
    private record SkipPlan(int key, int[] steps) {
    }

    Abbreviation(int code, int tag, boolean hasChildren, int[] attributes, int[] forms, long[] implicitConsts) {
        this.code = code;
        this.tag = tag;
        this.hasChildren = hasChildren;
        this.attributes = attributes;
        this.forms = forms;
        this.implicitConsts = implicitConsts;
    }

    int tag() {
        return tag;
    }

    boolean hasChildren() {
        return hasChildren;
    }

    /** The skip plan for units of this shape (address size, offset size, version). */
    int[] skipPlan(UnitHeader u) {
        int key = u.addressSize() << 8 | (u.dwarf64() ? 1 : 0) << 4 | Math.min(u.version(), 3);
        SkipPlan p = plan;
        if (p == null || p.key() != key) {
            p = new SkipPlan(key, buildPlan(u));
            plan = p;
        }
        return p.steps();
    }

    private int[] buildPlan(UnitHeader u) {
        int[] p = new int[forms.length];
        int n = 0;
        int run = 0;
        for (int form : forms) {
            int size = fixedSize(form, u);
            if (size >= 0) {
                run += size;
            } else {
                if (run > 0) {
                    p[n++] = run;
                    run = 0;
                }
                p[n++] = -form;
            }
        }
        if (run > 0) {
            p[n++] = run;
        }
        return Arrays.copyOf(p, n);
    }

    /** Size of a value of {@code form} when it does not depend on the data, else -1. */
    private static int fixedSize(int form, UnitHeader u) {
        int offset = u.dwarf64() ? 8 : 4;
        return switch (form) {
            case Dw.FORM_FLAG_PRESENT, Dw.FORM_IMPLICIT_CONST -> 0;
            case Dw.FORM_DATA1, Dw.FORM_FLAG, Dw.FORM_REF1, Dw.FORM_STRX1, Dw.FORM_ADDRX1 -> 1;
            case Dw.FORM_DATA2, Dw.FORM_REF2, Dw.FORM_STRX2, Dw.FORM_ADDRX2 -> 2;
            case Dw.FORM_STRX3, Dw.FORM_ADDRX3 -> 3;
            case Dw.FORM_DATA4, Dw.FORM_REF4, Dw.FORM_STRX4, Dw.FORM_ADDRX4, Dw.FORM_REF_SUP4 -> 4;
            case Dw.FORM_DATA8, Dw.FORM_REF8, Dw.FORM_REF_SIG8, Dw.FORM_REF_SUP8 -> 8;
            case Dw.FORM_DATA16 -> 16;
            case Dw.FORM_ADDR -> u.addressSize();
            case Dw.FORM_STRP, Dw.FORM_LINE_STRP, Dw.FORM_SEC_OFFSET, Dw.FORM_STRP_SUP, Dw.FORM_GNU_REF_ALT,
                 Dw.FORM_GNU_STRP_ALT -> offset;
            case Dw.FORM_REF_ADDR -> u.version() <= 2 ? u.addressSize() : offset;
            default -> -1;
        };
    }
}
