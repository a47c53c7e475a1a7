package heapscope.sim;

import heapscope.sysview.SvIds;
import heapscope.sysview.SvWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A short trace whose peak is known block by block (docs/analysis.md, "Peak and low water"), on one core of an
 * ESP32-P4, 20 µs between events:
 * <ol>
 *   <li>site A keeps 10 blocks of 100 bytes for good; site T allocates and at once frees 50 blocks of 32 bytes
 *       (temporary: no other allocation in between);</li>
 *   <li>site B allocates 20 blocks of 512 bytes, site C 5 of 2048; one allocation of 65,536 bytes fails there;
 *       the traced live bytes peak after C's last block: 21,480 bytes in 35 blocks;</li>
 *   <li>all of B's blocks and the first 3 of C's are freed;</li>
 *   <li>site D allocates 8 blocks of 256 bytes and keeps them (never part of the peak).</li>
 * </ol>
 * So at the peak A holds 1,000 bytes (all leaked), B 10,240 (all freed later), C 10,240 (4,096 leaked).
 */
public final class PeakScenario {
    public static final long[] A = {0x4FF0A1B2L, 0x40010012L, 0x40010340L};
    public static final long[] T = {0x4FF0A1B2L, 0x40020012L, 0x40020340L};
    public static final long[] B = {0x4FF0A1B2L, 0x40030012L, 0x40030340L};
    public static final long[] C = {0x4FF0A1B2L, 0x40040012L, 0x40040340L};
    public static final long[] D = {0x4FF0A1B2L, 0x40050012L, 0x40050340L};
    public static final long[] FAILED = {0x4FF0A1B2L, 0x40060012L, 0x40060340L};
    public static final long PEAK_BYTES = 10 * 100 + 20 * 512 + 5 * 2048;
    public static final long PEAK_BLOCKS = 35;
    /** Bytes the peak's blocks cost the heap beyond the bytes asked for: a 4-byte header each, sizes already aligned. */
    public static final long PEAK_OVERHEAD = 35 * 4;
    public static final long FAILED_SIZE = 65_536;

    private static final int SLOTS = 10;
    private static final long STEP = 800; // ticks of the 40 MHz clock: 20 µs

    private PeakScenario() {
    }

    /** Writes the trace as {@code dir/cpu0.svdat}; returns it. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("cpu0.svdat");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            SvWriter w = new SvWriter(out, false);
            w.start();
            w.traceStart(0, 0);
            w.init(0, 40_000_000, 360_000_000, 0x40000000L, 0, 100);
            w.sysdesc(0, "N=FreeRTOS Application,D=esp32p4,C=riscv,O=FreeRTOS", 100);
            w.moduleDesc(0, 0, SvIds.HEAP_EVENTS, SvWriter.HEAP_MODULE, 100);
            w.taskInfo(0, 0x100, 5, "main", 100);
            w.taskStartExec(0, 0x100, 100);
            long next = 0x4FF40000L;
            for (int i = 0; i < 10; i++) {
                next = alloc(w, next, 100, A);
            }
            for (int i = 0; i < 50; i++) {
                long t = 0x4FFA0000L;
                w.heapAlloc(0, SvIds.HEAP_EVENTS, t, 32, T, T.length, SLOTS, STEP);
                w.heapFree(0, SvIds.HEAP_EVENTS, t, T, T.length, SLOTS, STEP);
            }
            long[] b = new long[20];
            for (int i = 0; i < b.length; i++) {
                b[i] = next;
                next = alloc(w, next, 512, B);
            }
            w.heapAlloc(0, SvIds.HEAP_EVENTS, 0, FAILED_SIZE, FAILED, FAILED.length, SLOTS, STEP);
            long[] c = new long[5];
            for (int i = 0; i < c.length; i++) {
                c[i] = next;
                next = alloc(w, next, 2048, C);
            }
            for (long block : b) {
                w.heapFree(0, SvIds.HEAP_EVENTS, block, B, B.length, SLOTS, STEP);
            }
            for (int i = 0; i < 3; i++) {
                w.heapFree(0, SvIds.HEAP_EVENTS, c[i], C, C.length, SLOTS, STEP);
            }
            for (int i = 0; i < 8; i++) {
                next = alloc(w, next, 256, D);
            }
            w.traceStop(0, STEP);
        }
        return file;
    }

    private static long alloc(SvWriter w, long address, long size, long[] stack) throws IOException {
        w.heapAlloc(0, SvIds.HEAP_EVENTS, address, size, stack, stack.length, SLOTS, STEP);
        return address + size + 4; // a 4-byte block header between blocks, as the heap lays them out
    }
}
