package heapscope.dwarf;

import heapscope.elf.ByteCursor;

/** Decodes DWARF 2-4 .debug_ranges and DWARF 5 .debug_rnglists lists. */
final class RangeLists {
    private static final int RLE_END_OF_LIST = 0;
    private static final int RLE_BASE_ADDRESSX = 1;
    private static final int RLE_STARTX_ENDX = 2;
    private static final int RLE_STARTX_LENGTH = 3;
    private static final int RLE_OFFSET_PAIR = 4;
    private static final int RLE_BASE_ADDRESS = 5;
    private static final int RLE_START_END = 6;
    private static final int RLE_START_LENGTH = 7;

    private RangeLists() {
    }

    static void ranges(Unit u, long offset, Unit.RangeSink sink) {
        ByteCursor c = u.sections().ranges().cursor(u.sections().file());
        c.seek(offset);
        int size = u.header.addressSize();
        long mask = u.addressMask();
        long base = u.baseAddress;
        while (true) {
            long begin = c.unsigned(size);
            long end = c.unsigned(size);
            if (begin == 0 && end == 0) {
                return;
            }
            if (begin == mask) {
                base = end;
            } else {
                sink.range((base + begin) & mask, (base + end) & mask);
            }
        }
    }

    static void rnglist(Unit u, long offset, Unit.RangeSink sink) {
        ByteCursor c = u.sections().rnglists().cursor(u.sections().file());
        c.seek(offset);
        int size = u.header.addressSize();
        long mask = u.addressMask();
        long base = u.baseAddress;
        while (true) {
            int kind = c.u8();
            switch (kind) {
                case RLE_END_OF_LIST -> {
                    return;
                }
                case RLE_BASE_ADDRESSX -> base = u.address(DieReader.K_ADDRX, c.uleb());
                case RLE_STARTX_ENDX -> {
                    long b = u.address(DieReader.K_ADDRX, c.uleb());
                    sink.range(b, u.address(DieReader.K_ADDRX, c.uleb()));
                }
                case RLE_STARTX_LENGTH -> {
                    long b = u.address(DieReader.K_ADDRX, c.uleb());
                    sink.range(b, (b + c.uleb()) & mask);
                }
                case RLE_OFFSET_PAIR -> {
                    long b = c.uleb();
                    long e = c.uleb();
                    sink.range((base + b) & mask, (base + e) & mask);
                }
                case RLE_BASE_ADDRESS -> base = c.unsigned(size);
                case RLE_START_END -> {
                    long b = c.unsigned(size);
                    sink.range(b, c.unsigned(size));
                }
                case RLE_START_LENGTH -> {
                    long b = c.unsigned(size);
                    sink.range(b, (b + c.uleb()) & mask);
                }
                default -> throw c.error("unknown range list entry kind " + kind);
            }
        }
    }
}
