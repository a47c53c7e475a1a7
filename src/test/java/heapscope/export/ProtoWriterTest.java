package heapscope.export;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire encoding against the protobuf encoding guide's own examples. */
class ProtoWriterTest {
    private static String hex(ProtoWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(out);
        return HexFormat.of().formatHex(out.toByteArray());
    }

    @Test
    void varintsTagsAndLengths() throws IOException {
        assertThat(hex(new ProtoWriter().varint(1, 150))).isEqualTo("089601");
        assertThat(hex(new ProtoWriter().varint(1, 0))).as("proto3 default left out").isEmpty();
        assertThat(hex(new ProtoWriter().varint(2, -1))).isEqualTo("10ffffffffffffffffff01");
        assertThat(hex(new ProtoWriter().string(2, "testing"))).isEqualTo("120774657374696e67");
        assertThat(hex(new ProtoWriter().string(6, ""))).as("the string table's empty first entry").isEqualTo("3200");
        assertThat(hex(new ProtoWriter().packed(4, new long[] {3, 270, 86942}))).isEqualTo("2206038e029ea705");
        assertThat(hex(new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)))).isEqualTo("1a03089601");
        assertThat(hex(new ProtoWriter().varint(16, 1))).as("two-byte tag").isEqualTo("800101");
    }
}
