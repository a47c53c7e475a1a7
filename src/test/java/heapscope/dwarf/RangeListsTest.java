package heapscope.dwarf;

import heapscope.elf.ByteCursor;
import heapscope.elf.ElfFormatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every range list entry kind of DWARF 2-5, on hand-assembled sections (the fixtures use only some). */
class RangeListsTest {
    private static final Path FILE = Path.of("ranges.elf");

    private static DwarfSections.Part part(byte[] bytes) {
        return new DwarfSections.Part(bytes, 0x100, ByteOrder.LITTLE_ENDIAN);
    }

    private static Unit unit(int version, byte[] ranges, byte[] rnglists, byte[] addr) {
        DwarfSections.Part empty = part(new byte[0]);
        DwarfSections s = new DwarfSections(FILE, empty, empty, empty, empty, empty, part(addr), empty,
                part(ranges), part(rnglists));
        UnitHeader h = new UnitHeader(0, 0, version, Dw.UT_COMPILE, 4, false, 0, 0);
        Unit u = new Unit(h, new AbbreviationTable(new ByteCursor(FILE, new byte[] {0}, 0, 1,
                ByteOrder.LITTLE_ENDIAN, 0)), s);
        u.baseAddress = 0x40080000L;
        u.addrBase = 8;
        return u;
    }

    private static List<String> collect(Consumer<Unit.RangeSink> run) {
        List<String> out = new ArrayList<>();
        run.accept((lo, hi) -> out.add(Long.toHexString(lo) + "-" + Long.toHexString(hi)));
        return out;
    }

    private static byte[] le32(long... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putInt((int) w);
        }
        return b.array();
    }

    @Test
    void dwarf4RangesUseTheUnitBaseAndBaseSelectionEntries() {
        byte[] ranges = le32(0x10, 0x20, 0xffffffffL, 0x42000000L, 0x4, 0x8, 0, 0);
        Unit u = unit(4, ranges, new byte[0], new byte[0]);

        assertThat(collect(sink -> RangeLists.ranges(u, 0, sink)))
                .containsExactly("40080010-40080020", "42000004-42000008");
    }

    @Test
    void dwarf5RangeListsDecodeEveryEntryKind() {
        // .debug_addr: 8-byte header then entries 0x42000000, 0x42000100, 0x42000200
        byte[] addr = new byte[8 + 12];
        System.arraycopy(le32(0x42000000L, 0x42000100L, 0x42000200L), 0, addr, 8, 12);
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.write(4); r.write(0x10); r.write(0x20);                 // offset_pair from the unit base
        r.write(1); r.write(1);                                    // base_addressx -> 0x42000100
        r.write(4); r.write(0x01); r.write(0x02);                 // offset_pair from the new base
        r.write(2); r.write(0); r.write(2);                        // startx_endx
        r.write(3); r.write(1); r.write(0x80); r.write(0x01);     // startx_length, ULEB 128
        r.write(5); r.writeBytes(le32(0x43000000L));               // base_address
        r.write(4); r.write(0); r.write(4);                        // offset_pair
        r.write(6); r.writeBytes(le32(0x44000000L, 0x44000010L)); // start_end
        r.write(7); r.writeBytes(le32(0x45000000L)); r.write(3);  // start_length
        r.write(0);                                                // end_of_list
        Unit u = unit(5, new byte[0], r.toByteArray(), addr);

        assertThat(collect(sink -> RangeLists.rnglist(u, 0, sink))).containsExactly(
                "40080010-40080020", "42000101-42000102", "42000000-42000200", "42000100-42000180",
                "43000000-43000004", "44000000-44000010", "45000000-45000003");
    }

    @Test
    void aListWithoutItsEndFailsAtTheSectionEnd() {
        Unit u = unit(5, new byte[0], new byte[] {4, 1, 2}, new byte[0]);

        assertThatThrownBy(() -> collect(sink -> RangeLists.rnglist(u, 0, sink)))
                .isInstanceOfSatisfying(ElfFormatException.class, e -> assertThat(e.offset()).isEqualTo(0x103));
    }

    @Test
    void unknownEntryKindsAreErrors() {
        Unit u = unit(5, new byte[0], new byte[] {9}, new byte[0]);

        assertThatThrownBy(() -> collect(sink -> RangeLists.rnglist(u, 0, sink)))
                .isInstanceOf(ElfFormatException.class).hasMessageContaining("range list entry kind 9");
    }
}
