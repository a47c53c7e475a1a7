package heapscope.sysview;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Test-data writer: turns a recording made as one file per core (layout A) into the two single-file multi-core
 * layouts, the way OpenOCD would have written them.
 */
final class Layouts {
    /** Events OpenOCD copies into every core's stream; a single-stream layout carries them once. */
    private static final Set<Integer> CLONED = Set.of(1, 6, 9, 10, 11, 12, 13, 14, 21, 22, 24, 27);

    private Layouts() {
    }

    /** SEGGER V3.60 container: each core's stream (sync included) concatenated behind an offset table. */
    static byte[] container(List<Path> perCore) throws IOException {
        List<byte[]> streams = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        long offset = 0;
        for (Path p : perCore) {
            byte[] file = Files.readAllBytes(p);
            int h = RawPackets.headerLength(file);
            byte[] stream = Arrays.copyOfRange(file, h, file.length);
            streams.add(stream);
            offsets.add(offset);
            offset += stream.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SvWriter.header(false, offsets));
        for (byte[] s : streams) {
            out.write(s);
        }
        return out.toByteArray();
    }

    /** ESP_Extension: one stream, packets of both cores merged by time, core number in bit 6 of the id. */
    static byte[] espExtension(List<Path> perCore) throws IOException {
        record Tagged(RawPackets.Packet packet, int core, int order) {
        }
        List<Tagged> all = new ArrayList<>();
        for (int core = 0; core < perCore.size(); core++) {
            int order = 0;
            for (RawPackets.Packet p : RawPackets.split(perCore.get(core))) {
                if (core > 0 && CLONED.contains(p.id())) {
                    continue;
                }
                all.add(new Tagged(p, core, order++));
            }
        }
        all.sort((a, b) -> a.packet().ticks() != b.packet().ticks() ? Long.compare(a.packet().ticks(), b.packet().ticks())
                : a.core() != b.core() ? Integer.compare(a.core(), b.core()) : Integer.compare(a.order(), b.order()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SvWriter.header(true, List.of()));
        SvWriter w = new SvWriter(out, true);
        w.sync();
        long last = 0;
        for (Tagged t : all) {
            RawPackets.Packet p = t.packet();
            long delta = p.id() == 10 ? 0 : p.ticks() - last;
            w.packet(p.id(), t.core(), p.body(), 0, p.body().length, delta);
            last = p.ticks();
        }
        return out.toByteArray();
    }
}
