package heapscope.sysview;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Per-core OpenOCD recordings turned into the raw stream a UART or USB-Serial-JTAG link would have carried: the header
 * stripped (and no core bit: these files never had one), core 0's packets, and from core 1 only its heap events (the
 * link drops the other CPU's scheduler events; the shared packets OpenOCD copied into each core's file are sent once),
 * merged by time and written by the raw {@link SvWriter}, which drops the module description as the link does.
 * Split by {@link RawPackets}, not by the decoder under test.
 */
public final class UartStreams {
    /** A heap event of the stream: where its packet lies, and what it says. */
    public record HeapPacket(int start, int end, boolean alloc, long address) {
    }

    public record Stream(byte[] bytes, List<HeapPacket> heap) {
    }

    private record Tagged(RawPackets.Packet packet, int core, int order) {
    }

    private UartStreams() {
    }

    public static Stream of(Path... perCore) throws IOException {
        List<Tagged> all = new ArrayList<>();
        int order = 0;
        for (int core = 0; core < perCore.length; core++) {
            for (RawPackets.Packet p : RawPackets.split(perCore[core])) {
                if (core == 0 || p.id() >= SvIds.FIRST_MODULE_EVENT) {
                    all.add(new Tagged(p, core, order++));
                }
            }
        }
        all.sort(Comparator.comparingLong((Tagged t) -> t.packet().ticks()).thenComparingInt(Tagged::core).thenComparingInt(Tagged::order));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SvWriter w = SvWriter.raw(out, 0, Integer.MAX_VALUE);
        w.start();
        long last = 0;
        List<HeapPacket> heap = new ArrayList<>();
        for (Tagged t : all) {
            RawPackets.Packet p = t.packet();
            int start = out.size();
            // the writer drops the other CPU's scheduler events; heap events it passes whatever the core
            w.packet(p.id(), t.core(), p.body(), 0, p.body().length, p.id() == SvIds.TRACE_START ? 0 : p.ticks() - last);
            if (p.id() != SvIds.TRACE_START) {
                last = p.ticks();
            }
            if (p.id() >= SvIds.FIRST_MODULE_EVENT && out.size() > start) {
                int[] at = {0};
                heap.add(new HeapPacket(start, out.size(), p.id() == SvIds.HEAP_EVENTS, RawPackets.varint(p.body(), at)));
            }
        }
        return new Stream(out.toByteArray(), heap);
    }

    public static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }
}
