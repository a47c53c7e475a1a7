package heapscope.coredump;

import heapscope.elf.ByteCursor;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfFormatException;
import heapscope.elf.ElfSection;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DWARF call frame information from an ELF's {@code .eh_frame} and {@code .debug_frame}: for a code address, where
 * the caller's frame starts (the CFA) and where each register of the caller was saved. Damaged entries are skipped
 * (counted in {@link #damaged()}); lookups never fail.
 */
public final class Cfi {
    private static final int RULE_SAME = 0;
    private static final int RULE_OFFSET = 1;
    private static final int RULE_UNDEFINED = 2;
    private static final int RULE_VAL_OFFSET = 3;
    private static final int RULE_REGISTER = 4;
    private static final int REGS = 33;

    /** A CIE's parameters. */
    private record Cie(long codeAlign, long dataAlign, int returnRegister, int pointerEncoding, boolean augmentationData,
                       byte[] initial) {
    }

    /** An FDE: the code range it covers and its instructions. */
    private record Fde(long start, long end, Cie cie, byte[] instructions) {
    }

    /**
     * The unwind rules at one address.
     *
     * @param rules  per DWARF register: same value, saved at CFA+offset, undefined, value CFA+offset, or in register
     * @param values the offset or register of each rule
     */
    public record Row(int cfaRegister, long cfaOffset, int returnRegister, int[] rules, long[] values) {
        public boolean savedAt(int register) {
            return rules[register] == RULE_OFFSET;
        }

        public boolean undefined(int register) {
            return rules[register] == RULE_UNDEFINED;
        }

        public boolean valueOffset(int register) {
            return rules[register] == RULE_VAL_OFFSET;
        }

        public boolean inRegister(int register) {
            return rules[register] == RULE_REGISTER;
        }

        public long value(int register) {
            return values[register];
        }
    }

    private final Fde[] fdes;
    private final long[] starts;
    private final int damaged;

    private Cfi(List<Fde> list, int damaged) {
        list.sort(Comparator.comparingLong(Fde::start));
        this.fdes = list.toArray(Fde[]::new);
        this.starts = list.stream().mapToLong(Fde::start).toArray();
        this.damaged = damaged;
    }

    /** The call frame information of {@code elf}; empty when it has none. */
    public static Cfi of(ElfFile elf) {
        List<Fde> out = new ArrayList<>();
        int[] damaged = {0};
        for (String name : List.of(".eh_frame", ".debug_frame")) {
            elf.section(name).filter(s -> s.type() != ElfSection.SHT_NOBITS).ifPresent(s -> {
                try {
                    parse(elf.bytes(s), s.address(), name.equals(".eh_frame"), out, damaged);
                } catch (ElfFormatException e) {
                    damaged[0]++;
                }
            });
        }
        return new Cfi(out, damaged[0]);
    }

    /** Call frame information parsed from one section's bytes (tests build them by hand). */
    public static Cfi parse(byte[] section, long address, boolean ehFrame) {
        List<Fde> out = new ArrayList<>();
        int[] damaged = {0};
        parse(section, address, ehFrame, out, damaged);
        return new Cfi(out, damaged[0]);
    }

    public int damaged() {
        return damaged;
    }

    public boolean isEmpty() {
        return fdes.length == 0;
    }

    private static void parse(byte[] data, long address, boolean eh, List<Fde> out, int[] damaged) {
        ByteCursor c = new ByteCursor(null, data, 0, data.length, ByteOrder.LITTLE_ENDIAN, 0);
        Map<Long, Cie> cies = new HashMap<>();
        while (c.remaining() >= 4) {
            int entry = c.position();
            long length = c.u32();
            if (length == 0) {
                if (eh) {
                    return; // .eh_frame's terminator
                }
                continue;
            }
            if (length == 0xffffffffL || length > c.remaining()) {
                damaged[0]++;
                return;
            }
            int next = (int) (c.position() + length);
            try {
                int idAt = c.position();
                long id = c.u32();
                boolean isCie = eh ? id == 0 : id == 0xffffffffL;
                if (isCie) {
                    cies.put((long) entry, cie(c, next, eh));
                } else {
                    long cieAt = eh ? idAt - id : id;
                    Cie cie = cies.get(cieAt);
                    if (cie == null) {
                        ByteCursor other = new ByteCursor(null, data, 0, data.length, ByteOrder.LITTLE_ENDIAN, 0);
                        other.seek(cieAt);
                        long cieLength = other.u32();
                        other.u32();
                        cie = cie(other, (int) Math.min(data.length, cieAt + 4 + cieLength), eh);
                        cies.put(cieAt, cie);
                    }
                    long start = pointer(c, cie.pointerEncoding(), address);
                    long range = pointer(c, cie.pointerEncoding() < 0 ? -1 : cie.pointerEncoding() & 0x0f, address);
                    if (cie.augmentationData()) {
                        c.skip(c.uleb());
                    }
                    byte[] instructions = c.bytes(next - c.position());
                    out.add(new Fde(start, start + range, cie, instructions));
                }
            } catch (ElfFormatException | IllegalArgumentException e) {
                damaged[0]++;
            }
            c.seek(next);
        }
    }

    private static Cie cie(ByteCursor c, int end, boolean eh) {
        int version = c.u8();
        String augmentation = c.cstring();
        if (!eh && version >= 4) {
            c.u8(); // address size
            c.u8(); // segment selector size
        }
        long codeAlign = c.uleb();
        long dataAlign = c.sleb();
        int returnRegister = version == 1 ? c.u8() : (int) c.uleb();
        int encoding = -1; // absolute 32-bit addresses unless the augmentation says otherwise
        if (augmentation.startsWith("z")) {
            long length = c.uleb();
            int dataEnd = (int) (c.position() + length);
            for (int i = 1; i < augmentation.length(); i++) {
                char a = augmentation.charAt(i);
                if (a == 'R') {
                    encoding = c.u8();
                } else if (a == 'P') {
                    int enc = c.u8();
                    pointer(c, enc & 0x7f, 0);
                } else if (a == 'L') {
                    c.u8();
                }
            }
            c.seek(dataEnd);
        }
        byte[] initial = c.bytes(Math.max(0, end - c.position()));
        return new Cie(codeAlign, dataAlign, returnRegister, encoding, augmentation.startsWith("z"), initial);
    }

    /** Reads a pointer in DW_EH_PE encoding {@code enc}; pc-relative ones relative to {@code base} + position. */
    private static long pointer(ByteCursor c, int enc, long base) {
        if (enc < 0) {
            return c.u32();
        }
        long at = base + c.position();
        long v = switch (enc & 0x0f) {
            case 0x00, 0x03 -> c.u32();
            case 0x01 -> c.uleb();
            case 0x02 -> c.u16();
            case 0x04 -> c.u64();
            case 0x09 -> c.sleb();
            case 0x0a -> (short) c.u16();
            case 0x0b -> (int) c.u32();
            case 0x0c -> c.u64();
            default -> throw new IllegalArgumentException("pointer encoding " + enc);
        };
        if ((enc & 0x70) == 0x10) {
            v += at;
        }
        return v & 0xffffffffL;
    }

    /** The rules at {@code pc}, or null when no entry covers it. */
    public Row rowAt(long pc) {
        int i = Arrays.binarySearch(starts, pc);
        if (i < 0) {
            i = -i - 2;
        }
        while (i + 1 < fdes.length && starts[i + 1] == pc) {
            i++;
        }
        if (i < 0 || pc >= fdes[i].end()) {
            return null;
        }
        Fde f = fdes[i];
        State s = new State(f.cie().returnRegister());
        try {
            s.run(f.cie().initial(), f.cie(), f.start(), Long.MAX_VALUE, null);
            int[] initialRules = s.rules.clone();
            long[] initialValues = s.values.clone();
            s.run(f.instructions(), f.cie(), f.start(), pc, new long[][] {toLongs(initialRules), initialValues});
        } catch (ElfFormatException | IllegalArgumentException e) {
            return null;
        }
        if (s.cfaRegister < 0) {
            return null;
        }
        return new Row(s.cfaRegister, s.cfaOffset, f.cie().returnRegister(), s.rules, s.values);
    }

    private static long[] toLongs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /** The CFA program's state while it runs to an address. */
    private static final class State {
        int cfaRegister = -1;
        long cfaOffset;
        int[] rules = new int[REGS];
        long[] values = new long[REGS];
        final List<Object[]> remembered = new ArrayList<>();

        State(int returnRegister) {
            if (returnRegister >= REGS) {
                throw new IllegalArgumentException("return register " + returnRegister);
            }
        }

        /** Runs {@code program} while the location stays at or below {@code target}. */
        void run(byte[] program, Cie cie, long start, long target, long[][] initial) {
            ByteCursor c = new ByteCursor(null, program, 0, program.length, ByteOrder.LITTLE_ENDIAN, 0);
            long loc = start;
            while (c.hasRemaining()) {
                int op = c.u8();
                int high = op & 0xc0;
                int low = op & 0x3f;
                if (high == 0x40) {
                    loc += low * cie.codeAlign();
                    if (loc > target) {
                        return;
                    }
                    continue;
                }
                if (high == 0x80) {
                    set(low, RULE_OFFSET, c.uleb() * cie.dataAlign());
                    continue;
                }
                if (high == 0xc0) {
                    restore(low, initial);
                    continue;
                }
                switch (op) {
                    case 0x00 -> { }
                    case 0x01 -> {
                        loc = c.u32();
                        if (loc > target) {
                            return;
                        }
                    }
                    case 0x02, 0x03, 0x04 -> {
                        long delta = op == 0x02 ? c.u8() : op == 0x03 ? c.u16() : c.u32();
                        loc += delta * cie.codeAlign();
                        if (loc > target) {
                            return;
                        }
                    }
                    case 0x05 -> set((int) c.uleb(), RULE_OFFSET, c.uleb() * cie.dataAlign());
                    case 0x06 -> restore((int) c.uleb(), initial);
                    case 0x07 -> set((int) c.uleb(), RULE_UNDEFINED, 0);
                    case 0x08 -> set((int) c.uleb(), RULE_SAME, 0);
                    case 0x09 -> set((int) c.uleb(), RULE_REGISTER, c.uleb());
                    case 0x0a -> remembered.add(new Object[] {rules.clone(), values.clone(), cfaRegister, cfaOffset});
                    case 0x0b -> {
                        if (!remembered.isEmpty()) {
                            Object[] r = remembered.remove(remembered.size() - 1);
                            rules = (int[]) r[0];
                            values = (long[]) r[1];
                            cfaRegister = (int) r[2];
                            cfaOffset = (long) r[3];
                        }
                    }
                    case 0x0c -> {
                        cfaRegister = (int) c.uleb();
                        cfaOffset = c.uleb();
                    }
                    case 0x0d -> cfaRegister = (int) c.uleb();
                    case 0x0e -> cfaOffset = c.uleb();
                    case 0x11 -> set((int) c.uleb(), RULE_OFFSET, c.sleb() * cie.dataAlign());
                    case 0x12 -> {
                        cfaRegister = (int) c.uleb();
                        cfaOffset = c.sleb() * cie.dataAlign();
                    }
                    case 0x13 -> cfaOffset = c.sleb() * cie.dataAlign();
                    case 0x14 -> set((int) c.uleb(), RULE_VAL_OFFSET, c.uleb() * cie.dataAlign());
                    case 0x15 -> set((int) c.uleb(), RULE_VAL_OFFSET, c.sleb() * cie.dataAlign());
                    case 0x2e -> c.uleb(); // GNU_args_size
                    case 0x2f -> set((int) c.uleb(), RULE_OFFSET, -c.uleb() * cie.dataAlign());
                    default -> throw new IllegalArgumentException("unsupported CFA instruction 0x" + Integer.toHexString(op));
                }
            }
        }

        private void set(int register, int rule, long value) {
            if (register >= 0 && register < REGS) {
                rules[register] = rule;
                values[register] = value;
            }
        }

        private void restore(int register, long[][] initial) {
            if (register >= 0 && register < REGS) {
                rules[register] = initial == null ? RULE_SAME : (int) initial[0][register];
                values[register] = initial == null ? 0 : initial[1][register];
            }
        }
    }
}
