package heapscope.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Protocol buffers wire encoding, by hand: enough of it for profile.proto (varints, packed repeated varints,
 * length-delimited strings and messages). A nested message is built in its own writer and added with
 * {@link #message}, so its length is known before it is written.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int64/uint64/bool field; zero is the default and is left out, as proto3 encoders do. */
    ProtoWriter varint(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            raw(value);
        }
        return this;
    }

    ProtoWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    /** A packed repeated varint field (proto3's default encoding for repeated scalars). */
    ProtoWriter packed(int field, long[] values) {
        if (values.length == 0) {
            return this;
        }
        ProtoWriter body = new ProtoWriter();
        for (long v : values) {
            body.raw(v);
        }
        return bytes(field, body.out.toByteArray());
    }

    /** A string field, written even when empty: the string table's first entry must be there. */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.out.toByteArray());
    }

    private ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        raw(value.length);
        out.writeBytes(value);
        return this;
    }

    private void tag(int field, int wireType) {
        raw(((long) field << 3) | wireType);
    }

    /** Base-128 varint, least significant group first; negative numbers take ten bytes, as in protobuf. */
    private void raw(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    void writeTo(OutputStream target) throws IOException {
        out.writeTo(target);
    }
}
