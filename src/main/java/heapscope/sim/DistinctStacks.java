package heapscope.sim;

import heapscope.sysview.SvWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a one-core SystemView heap trace (esp32c3) in which every allocation comes from a call stack of its own,
 * the worst case for the memory a reader spends on interning stacks: a firmware whose callers include a
 * per-request return address, or a deep recursion. Every {@code leakEvery}-th block is never freed, the others
 * are freed at once from one shared free stack.
 */
public final class DistinctStacks {
    /**
     * @param stacks    allocations, each with a distinct call stack
     * @param depth     frames per stack (CONFIG_HEAP_TRACING_STACK_DEPTH), 2..32
     * @param leakEvery every leakEvery-th allocation is leaked (1: all of them)
     */
    public record Spec(int stacks, int depth, int leakEvery) {
        /** Leaked blocks and outermost frames keep to 32-bit addresses up to this count. */
        public static final int MAX_STACKS = 10_000_000;

        public Spec {
            if (stacks < 0 || stacks > MAX_STACKS || depth < 2 || depth > 32 || leakEvery < 1) {
                throw new IllegalArgumentException("stacks 0.." + MAX_STACKS + ", depth 2..32, leakEvery >= 1");
            }
        }
    }

    /** The frames of block I's call stack, innermost first: a different stack for each I. */
    public interface Frames {
        void fill(int i, long[] callers);
    }

    /** Synthetic frames: the allocator, frames shared by many blocks, and an outermost frame of its own. */
    public static final Frames SYNTHETIC = DistinctStacks::frames;

    /** What the trace holds: distinct stacks include the shared free stack, not the empty one. */
    public record Truth(long heapEvents, long distinctStacks, long leakedBlocks, long leakedBytes) {
    }

    private static final long HEAP_BASE = 0x3FC80000L;
    private static final long CODE_BASE = 0x42000000L;
    private static final int EVENT_OFFSET = 512;

    private DistinctStacks() {
    }

    public static Truth write(Spec spec, Path file) throws IOException {
        return write(spec, "esp32c3", SYNTHETIC, file);
    }

    /** A trace of CHIP (its ESP-IDF name) whose stacks are FRAMES'. */
    public static Truth write(Spec spec, String chip, Frames frames, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            return write(spec, chip, frames, out);
        }
    }

    /**
     * The same blocks as a serial log: one heap_trace_dump (ESP-IDF v5 format, HEAP_TRACE_LEAKS) listing the leaked
     * blocks, each with its own callers. The truth counts the listed blocks' stacks only.
     */
    public static Truth writeLog(Spec spec, Writer out) throws IOException {
        out.write("ESP-ROM:esp32c3-api1-20210207\n");
        long leaked = (spec.stacks() + spec.leakEvery() - 1) / spec.leakEvery();
        out.write("====== Heap Trace: " + leaked + " records (" + leaked + " capacity) ======\n");
        long[] callers = new long[spec.depth()];
        long bytes = 0;
        for (int i = 0; i < spec.stacks(); i += spec.leakEvery()) {
            frames(i, callers);
            StringBuilder b = new StringBuilder(String.format("%6d bytes (@ 0x%08x, Internal) allocated CPU 0 ccount 0x%08x caller ",
                    size(i), HEAP_BASE + (long) i * 128, (long) i * 4));
            for (long c : callers) {
                b.append(String.format("0x%08x:", c));
            }
            out.write(b.append('\n').toString());
            bytes += size(i);
        }
        out.write("====== Heap Trace Summary ======\nMode: Heap Trace Leaks\n");
        out.write(bytes + " bytes 'leaked' in trace (" + leaked + " allocations)\n");
        out.write("================================\n");
        out.flush();
        return new Truth(leaked, leaked, leaked, bytes);
    }

    private static void frames(int i, long[] callers) {
        callers[0] = CODE_BASE + 0x1000;
        for (int k = 1; k < callers.length - 1; k++) {
            callers[k] = CODE_BASE + 0x100000L * k + ((i >>> k) & 0xFF) * 4 + 2;
        }
        callers[callers.length - 1] = CODE_BASE + 0x4000000L + (long) i * 4 + 2;
    }

    private static long size(int i) {
        return 16 + (i & 63);
    }

    public static Truth write(Spec spec, String chip, Frames frames, OutputStream out) throws IOException {
        SvWriter w = new SvWriter(out, false);
        w.start();
        w.traceStart(0, 0);
        w.init(0, 16_000_000L, 160_000_000L, 0x3FC00000L, 0, 100);
        w.sysdesc(0, "N=FreeRTOS Application,D=" + chip + ",O=FreeRTOS", 100);
        w.moduleDesc(0, 0, EVENT_OFFSET, SvWriter.HEAP_MODULE, 100);
        w.taskInfo(0, 0x100, 5, "main", 100);
        w.taskStartExec(0, 0x100, 100);
        long[] callers = new long[spec.depth()];
        long[] freeStack = {CODE_BASE + 0x10, CODE_BASE + 0x20};
        long leakedBlocks = 0;
        long leakedBytes = 0;
        long events = 0;
        for (int i = 0; i < spec.stacks(); i++) {
            frames.fill(i, callers);
            long size = size(i);
            boolean leak = i % spec.leakEvery() == 0;
            long address = HEAP_BASE + (long) i * 128;
            w.heapAlloc(0, EVENT_OFFSET, address, size, callers, callers.length, callers.length, 10);
            events++;
            if (leak) {
                leakedBlocks++;
                leakedBytes += size;
            } else {
                w.heapFree(0, EVENT_OFFSET, address, freeStack, freeStack.length, callers.length, 10);
                events++;
            }
        }
        w.packet(11, 0, new byte[0], 0, 0, 10); // TRACE_STOP
        long distinct = spec.stacks() + (leakedBlocks < spec.stacks() ? 1 : 0);
        return new Truth(events, distinct, leakedBlocks, leakedBytes);
    }
}
