package heapscope.dwarf;

import heapscope.elf.ByteCursor;

/**
 * A unit header in .debug_info.
 *
 * @param offset      offset of the header in .debug_info (unit-relative references count from here)
 * @param end         offset just past the unit
 * @param firstDie    offset of the unit's first DIE
 */
record UnitHeader(long offset, long end, int version, int unitType, int addressSize, boolean dwarf64,
                  long abbrevOffset, long firstDie) {

    /** Parses the header at the cursor and leaves the cursor at the first DIE. */
    static UnitHeader parse(ByteCursor c) {
        long start = c.position();
        long length = c.u32();
        boolean dwarf64 = false;
        if (length == 0xffffffffL) {
            dwarf64 = true;
            length = c.u64();
        } else if (length >= 0xfffffff0L) {
            throw c.error("reserved unit length 0x" + Long.toHexString(length));
        }
        if (length < 0 || length > c.remaining()) {
            throw c.error("unit length " + length + " exceeds the " + c.remaining() + " bytes left in .debug_info");
        }
        long end = c.position() + length;
        int version = c.u16();
        int unitType = Dw.UT_COMPILE;
        int addressSize;
        long abbrevOffset;
        if (version >= 2 && version <= 4) {
            abbrevOffset = c.offset(dwarf64);
            addressSize = c.u8();
        } else if (version == 5) {
            unitType = c.u8();
            addressSize = c.u8();
            abbrevOffset = c.offset(dwarf64);
            switch (unitType) {
                case Dw.UT_SKELETON, Dw.UT_SPLIT_COMPILE -> c.skip(8);
                case Dw.UT_TYPE, Dw.UT_SPLIT_TYPE -> c.skip(8 + (dwarf64 ? 8 : 4));
                default -> { }
            }
        } else {
            throw c.error("unsupported DWARF version " + version);
        }
        if (addressSize != 1 && addressSize != 2 && addressSize != 4 && addressSize != 8) {
            throw c.error("unsupported address size " + addressSize);
        }
        if (c.position() > end) {
            throw c.error("unit header longer than the unit");
        }
        return new UnitHeader(start, end, version, unitType, addressSize, dwarf64, abbrevOffset, c.position());
    }
}
