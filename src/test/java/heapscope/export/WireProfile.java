package heapscope.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A pprof profile read back by walking the protobuf wire format by hand (gunzip, then tags, varints and
 * length-delimited fields), independently of the encoder under test. Only the fields the exports write.
 */
record WireProfile(List<String> strings, List<long[]> sampleTypes, List<Sample> samples, List<Mapping> mappings,
                   List<Location> locations, List<Function> functions, List<Long> comments, long defaultSampleType) {

    record Label(long key, long str, long num) {
    }

    record Sample(List<Long> locationIds, List<Long> values, List<Label> labels) {
    }

    record Mapping(long id, long start, long limit, long filename, long buildId, boolean hasInlineFrames) {
    }

    record Line(long functionId, long line) {
    }

    record Location(long id, long mappingId, long address, List<Line> lines) {
    }

    record Function(long id, long name, long systemName, long filename) {
    }

    String string(long index) {
        return strings.get((int) index);
    }

    Function function(long id) {
        return functions.stream().filter(f -> f.id() == id).findFirst().orElseThrow();
    }

    Location location(long id) {
        return locations.stream().filter(l -> l.id() == id).findFirst().orElseThrow();
    }

    /** The label of a sample with this key, as text (string labels) or its number; null when absent. */
    String label(Sample s, String key) {
        for (Label l : s.labels()) {
            if (string(l.key()).equals(key)) {
                return l.str() != 0 ? string(l.str()) : Long.toString(l.num());
            }
        }
        return null;
    }

    static WireProfile parse(byte[] gzipped) throws IOException {
        byte[] raw;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            raw = in.readAllBytes();
        }
        List<String> strings = new ArrayList<>();
        List<long[]> types = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        List<Mapping> mappings = new ArrayList<>();
        List<Location> locations = new ArrayList<>();
        List<Function> functions = new ArrayList<>();
        List<Long> comments = new ArrayList<>();
        long defaultType = 0;
        Reader r = new Reader(raw, 0, raw.length);
        while (r.more()) {
            int tag = (int) r.varint();
            int field = tag >>> 3;
            switch (field) {
                case 1 -> {
                    Reader m = r.nested(tag);
                    long[] vt = new long[2];
                    while (m.more()) {
                        int t = (int) m.varint();
                        vt[(t >>> 3) - 1] = m.varint();
                    }
                    types.add(vt);
                }
                case 2 -> samples.add(sample(r.nested(tag)));
                case 3 -> {
                    Reader m = r.nested(tag);
                    long[] v = new long[11];
                    while (m.more()) {
                        int t = (int) m.varint();
                        v[t >>> 3] = m.varint();
                    }
                    mappings.add(new Mapping(v[1], v[2], v[3], v[5], v[6], v[10] != 0));
                }
                case 4 -> locations.add(location(r.nested(tag)));
                case 5 -> {
                    Reader m = r.nested(tag);
                    long[] v = new long[6];
                    while (m.more()) {
                        int t = (int) m.varint();
                        v[t >>> 3] = m.varint();
                    }
                    functions.add(new Function(v[1], v[2], v[3], v[4]));
                }
                case 6 -> strings.add(r.nested(tag).string());
                case 13 -> comments.addAll(r.packedOrSingle(tag));
                case 14 -> defaultType = r.varint();
                default -> r.skip(tag);
            }
        }
        return new WireProfile(strings, types, samples, mappings, locations, functions, comments, defaultType);
    }

    private static Sample sample(Reader m) {
        List<Long> locations = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        while (m.more()) {
            int t = (int) m.varint();
            switch (t >>> 3) {
                case 1 -> locations.addAll(m.packedOrSingle(t));
                case 2 -> values.addAll(m.packedOrSingle(t));
                case 3 -> {
                    Reader l = m.nested(t);
                    long[] v = new long[5];
                    while (l.more()) {
                        int lt = (int) l.varint();
                        v[lt >>> 3] = l.varint();
                    }
                    labels.add(new Label(v[1], v[2], v[3]));
                }
                default -> m.skip(t);
            }
        }
        return new Sample(locations, values, labels);
    }

    private static Location location(Reader m) {
        long[] v = new long[4];
        List<Line> lines = new ArrayList<>();
        while (m.more()) {
            int t = (int) m.varint();
            if (t >>> 3 == 4) {
                Reader l = m.nested(t);
                long[] lv = new long[4];
                while (l.more()) {
                    int lt = (int) l.varint();
                    lv[lt >>> 3] = l.varint();
                }
                lines.add(new Line(lv[1], lv[2]));
            } else if ((t & 7) == 0 && t >>> 3 < 4) {
                v[t >>> 3] = m.varint();
            } else {
                m.skip(t);
            }
        }
        return new Location(v[1], v[2], v[3], lines);
    }

    /** A cursor over a byte range of the message. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= end || shift > 63) {
                    throw new IllegalStateException("truncated varint at " + pos);
                }
                int x = b[pos++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if (x < 0x80) {
                    return v;
                }
            }
        }

        Reader nested(int tag) {
            if ((tag & 7) != 2) {
                throw new IllegalStateException("field " + (tag >>> 3) + " is not length-delimited");
            }
            int len = (int) varint();
            if (len < 0 || pos + len > end) {
                throw new IllegalStateException("length " + len + " overruns the message at " + pos);
            }
            Reader r = new Reader(b, pos, pos + len);
            pos += len;
            return r;
        }

        String string() {
            return new String(b, pos, end - pos, StandardCharsets.UTF_8);
        }

        List<Long> packedOrSingle(int tag) {
            List<Long> out = new ArrayList<>();
            if ((tag & 7) == 0) {
                out.add(varint());
                return out;
            }
            Reader p = nested(tag);
            while (p.more()) {
                out.add(p.varint());
            }
            return out;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 2 -> nested(tag);
                case 1 -> pos += 8;
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("wire type " + (tag & 7));
            }
        }
    }
}
