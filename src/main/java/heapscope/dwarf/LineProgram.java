package heapscope.dwarf;

import heapscope.elf.ByteCursor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decodes a .debug_line program (versions 2 to 5) into a {@link LineTable}. */
final class LineProgram {
    private static final int LNCT_PATH = 1;
    private static final int LNCT_DIRECTORY_INDEX = 2;

    private LineProgram() {
    }

    static LineTable run(Unit u, long offset, CodeRanges code) {
        DwarfSections s = u.sections();
        ByteCursor all = s.line().cursor(s.file());
        all.seek(offset);
        long length = all.u32();
        boolean dwarf64 = false;
        if (length == 0xffffffffL) {
            dwarf64 = true;
            length = all.u64();
        }
        ByteCursor c = all.split(length);
        int version = c.u16();
        if (version < 2 || version > 5) {
            throw c.error("unsupported line table version " + version);
        }
        if (version >= 5) {
            c.u8(); // address size: DW_LNE_set_address carries its own operand length
            c.u8(); // segment selector size
        }
        long headerLength = c.offset(dwarf64);
        int programStart = c.position() + (int) Math.min(headerLength, c.remaining());
        if (headerLength > c.remaining()) {
            throw c.error("line table header length " + headerLength + " exceeds the table");
        }
        int minInstLength = c.u8();
        if (version >= 4) {
            c.u8(); // maximum operations per instruction: VLIW only, not used by our targets
        }
        boolean defaultIsStmt = c.u8() != 0;
        int lineBase = (byte) c.u8();
        int lineRange = c.u8();
        int opcodeBase = c.u8();
        if (lineRange == 0) {
            throw c.error("line_range is 0");
        }
        int[] opLengths = new int[Math.max(opcodeBase, 1)];
        for (int i = 1; i < opcodeBase; i++) {
            opLengths[i] = c.u8();
        }
        String compDir = u.compDir;
        List<String> files = new ArrayList<>();
        if (version >= 5) {
            List<String> dirPaths = new ArrayList<>();
            for (Entry d : entries(c, u, dwarf64)) {
                dirPaths.add(d.path());
            }
            String dir0 = dirPaths.isEmpty() ? compDir : dirPaths.get(0);
            for (Entry f : entries(c, u, dwarf64)) {
                long di = f.directory();
                String dir = di >= 0 && di < dirPaths.size() ? dirPaths.get((int) di) : null;
                files.add(join(dir0, dir, f.path()));
            }
        } else {
            List<String> dirs = new ArrayList<>();
            while (true) {
                String d = c.cstring();
                if (d.isEmpty()) {
                    break;
                }
                dirs.add(d);
            }
            files.add(null); // file numbers start at 1 before DWARF 5
            while (true) {
                String name = c.cstring();
                if (name.isEmpty()) {
                    break;
                }
                files.add(fileV4(compDir, dirs, name, c.uleb()));
                c.uleb();
                c.uleb();
            }
        }
        c.seek(programStart);
        return execute(c, u, code, minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase,
                opLengths, files, compDir);
    }

    private static String fileV4(String compDir, List<String> dirs, String name, long dirIndex) {
        String dir = dirIndex > 0 && dirIndex <= dirs.size() ? dirs.get((int) dirIndex - 1) : null;
        return join(compDir, dir, name);
    }

    /** comp_dir / dir / name, where an absolute component discards what comes before it. */
    static String join(String compDir, String dir, String name) {
        if (name == null) {
            return null;
        }
        if (name.startsWith("/")) {
            return name;
        }
        String d = dir;
        if (d == null || d.isEmpty()) {
            d = compDir;
        } else if (!d.startsWith("/") && compDir != null && !compDir.isEmpty()) {
            d = compDir + "/" + d;
        }
        return d == null || d.isEmpty() ? name : d.endsWith("/") ? d + name : d + "/" + name;
    }

    /** A DWARF 5 directory or file entry. */
    private record Entry(String path, long directory) {
    }

    /** DWARF 5 directory or file entries. */
    private static List<Entry> entries(ByteCursor c, Unit u, boolean dwarf64) {
        int formatCount = c.u8();
        long[] types = new long[formatCount];
        int[] forms = new int[formatCount];
        for (int i = 0; i < formatCount; i++) {
            types[i] = c.uleb();
            forms[i] = (int) c.uleb();
        }
        long count = c.uleb();
        if (count > c.remaining()) { // every entry takes at least one byte
            throw c.error("entry count " + count + " exceeds the header");
        }
        List<Entry> out = new ArrayList<>((int) count);
        UnitHeader h = new UnitHeader(0, 0, 5, Dw.UT_COMPILE, u.header.addressSize(), dwarf64, 0, 0);
        DieReader scratch = new DieReader();
        for (long i = 0; i < count; i++) {
            String path = null;
            long dir = 0;
            for (int f = 0; f < formatCount; f++) {
                if (types[f] == LNCT_PATH) {
                    path = stringValue(c, u, h, forms[f]);
                } else if (types[f] == LNCT_DIRECTORY_INDEX) {
                    dir = switch (forms[f]) {
                        case Dw.FORM_DATA1 -> c.u8();
                        case Dw.FORM_DATA2 -> c.u16();
                        case Dw.FORM_UDATA -> c.uleb();
                        default -> throw c.error("unexpected form " + forms[f] + " for a directory index");
                    };
                } else {
                    DieReader.skip(c, h, forms[f]);
                }
            }
            out.add(new Entry(path, dir));
        }
        return out;
    }

    private static String stringValue(ByteCursor c, Unit u, UnitHeader h, int form) {
        return switch (form) {
            case Dw.FORM_STRING -> c.cstring();
            case Dw.FORM_LINE_STRP -> u.string(DieReader.K_LINE_STRP, c.offset(h.dwarf64()));
            case Dw.FORM_STRP -> u.string(DieReader.K_STRP, c.offset(h.dwarf64()));
            case Dw.FORM_STRX, Dw.FORM_GNU_STR_INDEX -> u.string(DieReader.K_STRX, c.uleb());
            case Dw.FORM_STRX1 -> u.string(DieReader.K_STRX, c.u8());
            case Dw.FORM_STRX2 -> u.string(DieReader.K_STRX, c.u16());
            case Dw.FORM_STRX3 -> u.string(DieReader.K_STRX, c.u24());
            case Dw.FORM_STRX4 -> u.string(DieReader.K_STRX, c.u32());
            default -> throw c.error("unexpected form " + form + " for a path");
        };
    }

    private static LineTable execute(ByteCursor c, Unit u, CodeRanges code, int minInst,
                                     boolean defaultIsStmt, int lineBase, int lineRange, int opcodeBase,
                                     int[] opLengths, List<String> files, String compDir) {
        Rows rows = new Rows(code);
        long address = 0;
        long file = 1;
        long line = 1;
        long column = 0;
        while (c.hasRemaining()) {
            int op = c.u8();
            if (op >= opcodeBase) {
                int adj = op - opcodeBase;
                address += (long) (adj / lineRange) * minInst;
                line += lineBase + adj % lineRange;
                rows.add(address, file, line, column);
            } else if (op == 0) {
                long len = c.uleb();
                if (len == 0 || len > c.remaining()) {
                    throw c.error("extended opcode length " + len + " invalid");
                }
                int end = c.position() + (int) len;
                int sub = c.u8();
                switch (sub) {
                    case 1 -> { // end_sequence
                        rows.endSequence(address);
                        address = 0;
                        file = 1;
                        line = 1;
                        column = 0;
                    }
                    case 2 -> { // set_address: the operand size follows from the length
                        int size = (int) len - 1;
                        if (size == 1 || size == 2 || size == 4 || size == 8) {
                            address = c.unsigned(size);
                        }
                    }
                    case 3 -> files.add(join(compDir, null, c.cstring())); // define_file (DWARF 2-4)
                    default -> { }
                }
                c.seek(end);
            } else {
                switch (op) {
                    case 1 -> rows.add(address, file, line, column); // copy
                    case 2 -> address += c.uleb() * minInst;
                    case 3 -> line += c.sleb();
                    case 4 -> file = c.uleb();
                    case 5 -> column = c.uleb();
                    case 6, 7, 10, 11 -> { } // is_stmt, basic_block, prologue_end, epilogue_begin
                    case 8 -> address += (long) ((255 - opcodeBase) / lineRange) * minInst;
                    case 9 -> address += c.u16();
                    default -> {
                        for (int i = 0; i < opLengths[op]; i++) {
                            c.uleb();
                        }
                    }
                }
            }
        }
        return rows.build(files.toArray(new String[0]), u.addressMask());
    }

    /** Accumulates rows and sequences, then sorts sequences into a {@link LineTable}. */
    private static final class Rows {
        private long[] addr = new long[256];
        private int[] file = new int[256];
        private int[] line = new int[256];
        private int[] col = new int[256];
        private int n;
        private int seqFirst;
        private final List<long[]> sequences = new ArrayList<>(); // {start, end, firstRow, rowCount}
        private final CodeRanges code;

        Rows(CodeRanges code) {
            this.code = code;
        }

        void add(long address, long f, long l, long c) {
            if (n > seqFirst && addr[n - 1] == address) {
                n--; // keep only the last row at an address
            }
            if (n == addr.length) {
                addr = Arrays.copyOf(addr, n * 2);
                file = Arrays.copyOf(file, n * 2);
                line = Arrays.copyOf(line, n * 2);
                col = Arrays.copyOf(col, n * 2);
            }
            addr[n] = address;
            file[n] = (int) Math.min(f, Integer.MAX_VALUE);
            line[n] = (int) Math.min(l, Integer.MAX_VALUE);
            col[n] = (int) Math.min(c, Integer.MAX_VALUE);
            n++;
        }

        void endSequence(long address) {
            // sequences of functions the linker discarded start at 0 or a tombstone: drop them
            if (n > seqFirst && Long.compareUnsigned(address, addr[seqFirst]) > 0 && code.isValid(addr[seqFirst])) {
                sequences.add(new long[] {addr[seqFirst], address, seqFirst, n - seqFirst});
                seqFirst = n;
            } else {
                n = seqFirst; // empty sequence: drop its rows
            }
        }

        LineTable build(String[] files, long mask) {
            n = seqFirst; // rows after the last end_sequence belong to no sequence
            sequences.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
            int total = 0;
            for (long[] s : sequences) {
                total += (int) s[3];
            }
            long[] ss = new long[sequences.size()];
            long[] se = new long[sequences.size()];
            int[] sf = new int[sequences.size() + 1];
            long[] ra = new long[total];
            int[] rf = new int[total];
            int[] rl = new int[total];
            int[] rc = new int[total];
            int k = 0;
            for (int i = 0; i < sequences.size(); i++) {
                long[] s = sequences.get(i);
                ss[i] = (s[0] & mask) ^ Long.MIN_VALUE;
                se[i] = (s[1] & mask) ^ Long.MIN_VALUE;
                sf[i] = k;
                for (int r = (int) s[2]; r < s[2] + s[3]; r++) {
                    ra[k] = (addr[r] & mask) ^ Long.MIN_VALUE;
                    rf[k] = file[r];
                    rl[k] = line[r];
                    rc[k] = col[r];
                    k++;
                }
            }
            sf[sequences.size()] = k;
            return new LineTable(files, ss, se, sf, ra, rf, rl, rc);
        }
    }
}
