package heapscope.sim;

import heapscope.sysview.SvIds;
import heapscope.sysview.SvWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A firmware serving connections, as in the seed analysis "8,628 bytes per WebRTC connection": each connection
 * (marked by an {@code I (...) webrtc: New connection N} print) leaks 64 mutexes of 84 bytes, 2 thread control
 * blocks of 340 bytes, and blocks of 1536, 1024 and 12 bytes, from five call sites; the first connection also
 * runs a one-time initialisation that keeps 4096 + 512 bytes; request buffers on both cores and several tasks
 * come and go. Written as a SystemView trace (one file per core) with its ground truth.
 */
public final class ConnectionScenario {
    /** Sizes and counts leaked by every connection, per call site. */
    public static final long[][] PER_CYCLE = {{84, 64}, {340, 2}, {1536, 1}, {1024, 1}, {12, 1}};
    /** Kept once, by the first connection's initialisation. */
    public static final long[][] ONCE = {{4096, 1}, {512, 1}};

    public record Truth(int cycles, long bytesPerCycle, long blocksPerCycle, long onceBytes, long leakedBytes, long leakedBlocks) {
    }

    /**
     * The call stacks the scenario allocates from, innermost return address first: for each per-connection leak
     * site one or more stacks used in turn, for each one-time block one, and request buffers and their frees.
     */
    public record Stacks(long[][][] perCycle, long[][] once, long[][] requests, long[] requestFree) {
        /** Made-up addresses in a P4-like layout, for tests that need no ELF. */
        public static Stacks synthetic() {
            long[][][] perCycle = new long[PER_CYCLE.length][][];
            for (int i = 0; i < perCycle.length; i++) {
                perCycle[i] = new long[][] {stack(0x40010000L + 0x1000L * i)};
            }
            long[][] once = new long[ONCE.length][];
            for (int i = 0; i < once.length; i++) {
                once[i] = stack(0x40030000L + 0x1000L * i);
            }
            long[][] requests = new long[8][];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = stack(0x40050000L + 0x1000L * i);
            }
            return new Stacks(perCycle, once, requests, requests[0]);
        }

        private static long[] stack(long base) {
            return new long[] {0x4FF0A1B2L, base + 0x12, base + 0x340, base + 0x7A6};
        }

        /**
         * Stacks of the example firmware (examples/connection/firmware), from the return addresses its build
         * recorded: lines {@code caller callee return-address}.
         */
        public static Stacks fromCallSites(List<String> lines) {
            Map<String, List<Long>> sites = new HashMap<>();
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) {
                    sites.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>()).add(Long.decode(f[2]));
                }
            }
            CallChain c = new CallChain(sites);
            long[] top = c.chain("on_new_connection peer_connection_open", "app_main on_new_connection", "_start app_main");
            long[] mutex = c.join(c.chain("pvPortMalloc heap_caps_malloc", "xQueueGenericCreate pvPortMalloc",
                    "xQueueCreateMutex xQueueGenericCreate", "pthread_mutex_init xQueueCreateMutex", "callback_init pthread_mutex_init",
                    "peer_connection_open callback_init"), top);
            long[] thread = c.chain("pvPortMalloc heap_caps_malloc", "xTaskCreatePinnedToCore pvPortMalloc", "pthread_create xTaskCreatePinnedToCore");
            long[] open = c.chain("peer_connection_open transport_start");
            long[][] threads = {c.join(thread, new long[] {c.site("transport_start pthread_create", 0)}, open, top),
                    c.join(thread, new long[] {c.site("transport_start pthread_create", 1)}, open, top)};
            long[] malloc = c.chain("malloc heap_caps_malloc");
            long[][] buffers = new long[3][];
            for (int i = 0; i < 3; i++) {
                buffers[i] = c.join(malloc, new long[] {c.site("peer_connection_open malloc", i)}, top);
            }
            long[] init = c.chain("app_main app_init", "_start app_main");
            long[][] once = {c.join(malloc, new long[] {c.site("app_init malloc", 0)}, init),
                    c.join(malloc, new long[] {c.site("app_init malloc", 1)}, init)};
            long[] serve = c.chain("app_main on_new_connection", "_start app_main");
            long[][] requests = new long[3][];
            for (int i = 0; i < 3; i++) {
                requests[i] = c.join(malloc, new long[] {c.site("handle_request malloc", 0), c.site("on_new_connection handle_request", i)}, serve);
            }
            long[] requestFree = c.join(new long[] {c.site("handle_request free", 0), c.site("on_new_connection handle_request", 0)}, serve);
            return new Stacks(new long[][][] {{mutex}, threads, {buffers[0]}, {buffers[1]}, {buffers[2]}}, once, requests, requestFree);
        }
    }

    /** Looks up recorded call sites by "caller callee". */
    private record CallChain(Map<String, List<Long>> sites) {
        long site(String key, int nth) {
            List<Long> s = sites.get(key);
            if (s == null || s.size() <= nth) {
                throw new IllegalArgumentException("call site '" + key + "' #" + nth + " not in the call-site list");
            }
            return s.get(nth);
        }

        long[] chain(String... keys) {
            long[] out = new long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                out[i] = site(keys[i], 0);
            }
            return out;
        }

        long[] join(long[]... parts) {
            return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
        }
    }

    private ConnectionScenario() {
    }

    /**
     * What {@code cycles} connections leak: the per-connection sites (without the mutexes when they are fixed) each
     * time, the one-time blocks once if there is a connection at all.
     */
    private static Truth truth(int cycles, boolean mutexFixed) {
        long perCycleBytes = 0;
        long perCycleBlocks = 0;
        for (int i = mutexFixed ? 1 : 0; i < PER_CYCLE.length; i++) {
            perCycleBytes += PER_CYCLE[i][0] * PER_CYCLE[i][1];
            perCycleBlocks += PER_CYCLE[i][1];
        }
        long onceBytes = 0;
        long onceBlocks = 0;
        for (int i = 0; cycles > 0 && i < ONCE.length; i++) {
            onceBytes += ONCE[i][0] * ONCE[i][1];
            onceBlocks += ONCE[i][1];
        }
        return new Truth(cycles, perCycleBytes, perCycleBlocks, onceBytes, onceBytes + perCycleBytes * cycles,
                onceBlocks + perCycleBlocks * cycles);
    }

    /** The next address after a block, as the allocator places them: word-aligned with a 16-byte header. */
    private static long after(long address, long size) {
        return address + (size + 3) / 4 * 4 + 16;
    }

    public static List<Path> files(Path dir) {
        return List.of(dir.resolve("cpu0.svdat"), dir.resolve("cpu1.svdat"));
    }

    public static Truth write(Path dir, int cycles, long seed) throws IOException {
        return write(dir, cycles, seed, false);
    }

    /** @param mutexFixed the firmware after the fix: each connection's mutexes are deleted when it closes */
    public static Truth write(Path dir, int cycles, long seed, boolean mutexFixed) throws IOException {
        return write(dir, cycles, seed, mutexFixed, Stacks.synthetic());
    }

    public static Truth write(Path dir, int cycles, long seed, boolean mutexFixed, Stacks stacks) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream o0 = new BufferedOutputStream(Files.newOutputStream(dir.resolve("cpu0.svdat")));
             OutputStream o1 = new BufferedOutputStream(Files.newOutputStream(dir.resolve("cpu1.svdat")))) {
            return new Writer(new SvWriter[] {new SvWriter(o0, false), new SvWriter(o1, false)}, seed, mutexFixed, stacks).run(cycles);
        }
    }

    /**
     * The same firmware seen through its serial log, as a developer without JTAG captures it: each connection
     * logs {@code I (ms) webrtc: New connection N}, then the app calls {@code heap_trace_dump()} (ESP-IDF v5.1+
     * format, HEAP_TRACE_LEAKS, stack depth 10), which lists every block still alive. Request buffers are freed
     * before the dump, so only the leaks appear, and they accumulate from dump to dump.
     */
    public static Truth writeLog(java.io.Writer out, int cycles, boolean mutexFixed, Stacks stacks) throws IOException {
        record Block(long address, long size, long[] stack, int cpu) {
        }
        List<Block> live = new ArrayList<>();
        long next = 0x4FF40000L;
        long ms = 1200;
        long ccount = 0x10000000L;
        out.write("ESP-ROM:esp32p4-eco2-20240710\n");
        out.write("I (1150) main_task: Calling app_main()\n");
        for (int cycle = 0; cycle < cycles; cycle++) {
            ms += 3000 + 37L * cycle;
            out.write("I (" + ms + ") webrtc: New connection " + (cycle + 1) + "\n");
            if (cycle == 0) {
                for (int i = 0; i < ONCE.length; i++) {
                    for (int k = 0; k < ONCE[i][1]; k++) {
                        live.add(new Block(next, ONCE[i][0], stacks.once()[i], 0));
                        next = after(next, ONCE[i][0]);
                    }
                }
            }
            for (int i = mutexFixed ? 1 : 0; i < PER_CYCLE.length; i++) {
                long[][] choices = stacks.perCycle()[i];
                for (int k = 0; k < PER_CYCLE[i][1]; k++) {
                    live.add(new Block(next, PER_CYCLE[i][0], choices[k % choices.length], k & 1));
                    next = after(next, PER_CYCLE[i][0]);
                }
            }
            ms += 400;
            out.write("I (" + ms + ") webrtc: connection " + (cycle + 1) + " closed\n");
            out.write(String.format("====== Heap Trace: %d records (%d capacity) ======%n", live.size(), 2000));
            long bytes = 0;
            for (Block b : live) {
                StringBuilder callers = new StringBuilder();
                for (int j = 0; j < Math.min(b.stack().length, 10); j++) {
                    callers.append(String.format("0x%08x", b.stack()[j])).append(j < 9 ? ":" : "");
                }
                ccount += 7919;
                out.write(String.format("%6d bytes (@ 0x%08x, Internal) allocated CPU %d ccount 0x%08x caller %s%n", b.size(), b.address(),
                        b.cpu(), (ccount & ~3L) | b.cpu(), callers));
                bytes += b.size();
            }
            out.write("====== Heap Trace Summary ======\n");
            out.write("Mode: Heap Trace Leaks\n");
            out.write(bytes + " bytes 'leaked' in trace (" + live.size() + " allocations)\n");
            out.write("records: " + live.size() + " (2000 capacity, " + live.size() + " high water mark)\n");
            out.write("total allocations: " + (live.size() + 7L * (cycle + 1)) + "\n");
            out.write("total frees: " + 7L * (cycle + 1) + "\n");
            out.write("================================\n");
        }
        out.flush();
        return truth(cycles, mutexFixed);
    }

    private static final class Writer {
        private static final int SLOTS = 10;
        private final SvWriter[] w;
        private final SplittableRandom random;
        private final long[] last = new long[2];
        private long tick = 2000;
        private long next = 0x4FF40000L; // ESP32-P4 L2MEM, as in the seed: leaks grow from here
        private int ring; // request buffers reuse 256 slots of 2 KiB above the leaks, as a real allocator reuses memory
        private final Stacks stacks;

        private final boolean mutexFixed;

        Writer(SvWriter[] w, long seed, boolean mutexFixed, Stacks stacks) {
            this.w = w;
            this.mutexFixed = mutexFixed;
            this.stacks = stacks;
            this.random = new SplittableRandom(seed);
        }

        Truth run(int cycles) throws IOException {
            for (int c = 0; c < 2; c++) {
                w[c].start();
                w[c].traceStart(c, 0);
                w[c].init(c, 40_000_000, 360_000_000, 0x40000000L, 0, 100);
                w[c].sysdesc(c, "N=FreeRTOS Application,D=esp32p4,C=riscv,O=FreeRTOS", 100);
                w[c].moduleDesc(c, 0, SvIds.HEAP_EVENTS, SvWriter.HEAP_MODULE, 100);
                w[c].taskInfo(c, 0x100, 5, "webrtc", 100);
                w[c].taskInfo(c, 0x200, 5, "net", 100);
                w[c].taskStartExec(c, c == 0 ? 0x100 : 0x200, 100);
            }
            last[0] = last[1] = 600;
            for (int cycle = 0; cycle < cycles; cycle++) {
                print("I (" + tick / 40_000 + ") webrtc: New connection " + (cycle + 1) + "\n");
                if (cycle == 0) {
                    for (int i = 0; i < ONCE.length; i++) {
                        for (int k = 0; k < ONCE[i][1]; k++) {
                            alloc(0, ONCE[i][0], stacks.once()[i]);
                        }
                    }
                }
                List<long[]> temporary = new ArrayList<>(); // {address, core}
                List<Long> mutexes = new ArrayList<>();
                for (int i = 0; i < PER_CYCLE.length; i++) {
                    for (int k = 0; k < PER_CYCLE[i][1]; k++) {
                        long[][] choices = stacks.perCycle()[i];
                        long block = alloc(0, PER_CYCLE[i][0], choices[k % choices.length]);
                        if (i == 0) {
                            mutexes.add(block);
                        }
                        for (int j = random.nextInt(3); j > 0; j--) { // request buffers in between, on either core
                            int core = random.nextInt(2);
                            long address = 0x4FF80000L + 2048L * (ring++ & 255);
                            long[] stack = stacks.requests()[random.nextInt(stacks.requests().length)];
                            w[core].heapAlloc(core, SvIds.HEAP_EVENTS, address, 16 + random.nextInt(2000), stack, stack.length, SLOTS, step(core));
                            temporary.add(new long[] {address, core});
                        }
                    }
                }
                if (mutexFixed) {
                    for (long m : mutexes) {
                        w[0].heapFree(0, SvIds.HEAP_EVENTS, m, stacks.requestFree(), stacks.requestFree().length, SLOTS, step(0));
                    }
                }
                while (!temporary.isEmpty()) { // the connection closes: its buffers go back
                    long[] t = temporary.remove(random.nextInt(temporary.size()));
                    int core = 1 - (int) t[1];
                    w[core].heapFree(core, SvIds.HEAP_EVENTS, t[0], stacks.requestFree(), stacks.requestFree().length, SLOTS, step(core));
                }
            }
            for (int c = 0; c < 2; c++) {
                w[c].traceStop(c, step(c));
            }
            return truth(cycles, mutexFixed);
        }

        private long alloc(int core, long size, long[] stack) throws IOException {
            long address = next;
            next = after(next, size);
            w[core].heapAlloc(core, SvIds.HEAP_EVENTS, address, size, stack, Math.min(stack.length, SLOTS), SLOTS, step(core));
            return address;
        }

        private void print(String text) throws IOException {
            w[0].print(0, text, step(0));
        }

        private long step(int core) {
            tick += 200 + random.nextInt(4000);
            long d = tick - last[core];
            last[core] = tick;
            return d;
        }
    }
}
