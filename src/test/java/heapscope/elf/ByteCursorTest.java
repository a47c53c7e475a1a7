package heapscope.elf;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteCursorTest {
    private static final Path FILE = Path.of("x.elf");

    private static ByteCursor cursor(ByteOrder order, int... bytes) {
        byte[] b = new byte[bytes.length + 3];
        for (int i = 0; i < bytes.length; i++) {
            b[i + 3] = (byte) bytes[i];
        }
        return new ByteCursor(FILE, b, 3, bytes.length, order, 1000); // region starts at file offset 1000
    }

    @Test
    void decodesLeb128AsTheDwarfStandardsExamples() {
        ByteCursor c = cursor(ByteOrder.LITTLE_ENDIAN, 2, 127, 0x80, 1, 0x81, 1, 0x82, 1, 0xb9, 0x64,
                2, 0x7e, 0xff, 0, 0x81, 0x7f, 0x80, 0x7f);
        assertThat(c.uleb()).isEqualTo(2);
        assertThat(c.uleb()).isEqualTo(127);
        assertThat(c.uleb()).isEqualTo(128);
        assertThat(c.uleb()).isEqualTo(129);
        assertThat(c.uleb()).isEqualTo(130);
        assertThat(c.uleb()).isEqualTo(12857);
        assertThat(c.sleb()).isEqualTo(2);
        assertThat(c.sleb()).isEqualTo(-2);
        assertThat(c.sleb()).isEqualTo(127);
        assertThat(c.sleb()).isEqualTo(-127);
        assertThat(c.sleb()).isEqualTo(-128);
        assertThat(c.hasRemaining()).isFalse();
    }

    @Test
    void decodesTheLargestUnsignedValueAndIgnoresBitsBeyond64() {
        int[] max = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
        assertThat(cursor(ByteOrder.LITTLE_ENDIAN, max).uleb()).isEqualTo(-1L);
        int[] tooLong = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
        assertThat(cursor(ByteOrder.LITTLE_ENDIAN, tooLong).uleb()).isZero();
    }

    @Test
    void readsBothByteOrders() {
        int[] bytes = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
        ByteCursor le = cursor(ByteOrder.LITTLE_ENDIAN, bytes);
        ByteCursor be = cursor(ByteOrder.BIG_ENDIAN, bytes);
        assertThat(le.u16()).isEqualTo(0x0201);
        assertThat(be.u16()).isEqualTo(0x0102);
        assertThat(le.u24()).isEqualTo(0x050403);
        assertThat(be.u24()).isEqualTo(0x030405);
        le.seek(0);
        be.seek(0);
        assertThat(le.u64()).isEqualTo(0x0807060504030201L);
        assertThat(be.u64()).isEqualTo(0x0102030405060708L);
        le.seek(4);
        assertThat(le.u32()).isEqualTo(0x08070605L);
    }

    @Test
    void readsPastTheRegionFailWithTheAbsoluteFileOffset() {
        ByteCursor c = cursor(ByteOrder.LITTLE_ENDIAN, 0x80, 0x80);
        assertThatThrownBy(c::uleb).isInstanceOfSatisfying(ElfFormatException.class,
                e -> assertThat(e.offset()).isEqualTo(1002));
        ByteCursor d = cursor(ByteOrder.LITTLE_ENDIAN, 1, 2, 3);
        d.skip(1);
        assertThatThrownBy(d::u32).isInstanceOfSatisfying(ElfFormatException.class,
                e -> assertThat(e.offset()).isEqualTo(1001));
        assertThatThrownBy(() -> d.skip(-1)).isInstanceOf(ElfFormatException.class);
        assertThatThrownBy(() -> d.split(3)).isInstanceOf(ElfFormatException.class);
    }

    @Test
    void stringsNeedTheirTerminator() {
        ByteCursor c = cursor(ByteOrder.LITTLE_ENDIAN, 'a', 'b', 0, 'c');
        assertThat(c.cstring()).isEqualTo("ab");
        assertThatThrownBy(c::cstring).isInstanceOfSatisfying(ElfFormatException.class,
                e -> assertThat(e.offset()).isEqualTo(1003));
        assertThat(c.cstringAt(1)).isEqualTo("b");
    }

    @Test
    void splitRegionsReportOffsetsInTheFile() {
        ByteCursor c = cursor(ByteOrder.LITTLE_ENDIAN, 9, 9, 1, 2);
        c.skip(2);
        ByteCursor sub = c.split(2);
        assertThat(sub.u16()).isEqualTo(0x0201);
        assertThatThrownBy(sub::u8).isInstanceOfSatisfying(ElfFormatException.class,
                e -> assertThat(e.offset()).isEqualTo(1004));
    }
}
