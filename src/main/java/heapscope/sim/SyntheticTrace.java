package heapscope.sim;

import heapscope.sysview.SvIds;
import heapscope.sysview.SvWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a large SystemView heap trace in exactly ESP-IDF's encoding (one file per core, as OpenOCD writes them)
 * with a known outcome: several tasks on both cores allocate and free around a fixed live set, occasionally from
 * interrupt handlers, while a fixed number of blocks from a few "leaky" call sites are never freed. Everything
 * still live at the end except those is freed before the trace stops, so the leaks are exactly the planted ones,
 * whatever the event count.
 */
public final class SyntheticTrace {
    /**
     * @param heapEvents allocation and free events to write (at least)
     * @param liveTarget blocks kept live while the trace runs
     * @param leaks      blocks planted as leaks, spread over the trace
     */
    public record Spec(long heapEvents, int liveTarget, int leaks, long seed) {
    }

    /** What the trace holds, for tests and benchmarks to check against. */
    public record Truth(long heapEvents, long allocs, long frees, long leakedBlocks, long leakedBytes, List<Long> leakedAddresses) {
    }

    private static final long SYS_FREQ = 40_000_000L;
    private static final long RAM_BASE = 0x3F400000L;
    private static final long HEAP_BASE = 0x3FFB4000L;
    private static final int SLOT = 64;
    private static final int STACK_SLOTS = 10; // CONFIG_HEAP_TRACING_STACK_DEPTH of the simulated firmware
    private static final String[][] TASKS = {{"net0", "app0", "wifi0"}, {"net1", "app1", "wifi1"}};

    private SyntheticTrace() {
    }

    /** Writes {@code cpu0.svdat} and {@code cpu1.svdat} into {@code dir}. */
    public static Truth write(Spec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream o0 = new BufferedOutputStream(Files.newOutputStream(dir.resolve("cpu0.svdat")), 1 << 16);
             OutputStream o1 = new BufferedOutputStream(Files.newOutputStream(dir.resolve("cpu1.svdat")), 1 << 16)) {
            return new Generator(spec, new OutputStream[] {o0, o1}).run();
        }
    }

    public static List<Path> files(Path dir) {
        return List.of(dir.resolve("cpu0.svdat"), dir.resolve("cpu1.svdat"));
    }

    private static final class Generator {
        private final Spec spec;
        private final SplittableRandom random;
        private final SvWriter[] writers = new SvWriter[2];
        private final long[] lastTick = new long[2];
        private long tick;
        private final long[][] allocStacks;
        private final long[][] freeStacks;
        private final long[][] leakStacks;
        // live pool: slot index -> size, with a dense list for random picks
        private final int[] poolSlots;
        private final long[] slotSize;
        private int poolCount;
        private final int[] freeSlots;
        private int freeCount;
        private long allocs;
        private long frees;
        private final List<Long> leaked = new ArrayList<>();
        private long leakedBytes;

        Generator(Spec spec, OutputStream[] outs) {
            this.spec = spec;
            this.random = new SplittableRandom(spec.seed());
            for (int c = 0; c < 2; c++) {
                writers[c] = new SvWriter(outs[c], false);
            }
            allocStacks = stacks(40, 0x400D1000L);
            freeStacks = stacks(12, 0x400E1000L);
            leakStacks = stacks(3, 0x400F1000L);
            int slots = spec.liveTarget() + 64 + spec.leaks() + 16; // the pool never exceeds target + 50
            poolSlots = new int[slots];
            slotSize = new long[slots];
            freeSlots = new int[slots];
            for (int s = slots - 1; s >= 0; s--) {
                freeSlots[freeCount++] = s;
            }
        }

        private long[][] stacks(int n, long base) {
            long[][] out = new long[n][];
            for (int i = 0; i < n; i++) {
                int depth = 4 + random.nextInt(STACK_SLOTS - 3);
                out[i] = new long[depth];
                out[i][0] = 0x40081EFFL; // heap_caps_malloc in IRAM, as on a real ESP32
                for (int k = 1; k < depth; k++) {
                    out[i][k] = base + 0x40L * random.nextInt(4096) + 3;
                }
            }
            return out;
        }

        Truth run() throws IOException {
            for (int c = 0; c < 2; c++) {
                writers[c].start();
            }
            preamble();
            long leakEvery = spec.leaks() == 0 ? Long.MAX_VALUE : Math.max(1, spec.heapEvents() / spec.leaks());
            int[] running = {0, 0};
            long events = 0;
            while (events < spec.heapEvents()) {
                int core = random.nextInt(2);
                if (random.nextInt(64) == 0) { // context switch
                    running[core] = random.nextInt(TASKS[core].length);
                    writers[core].taskStartExec(core, tid(core, running[core]), step(core));
                }
                boolean isr = random.nextInt(512) == 0;
                if (isr) {
                    writers[core].isrEnter(core, 5, step(core));
                }
                if (leaked.size() < spec.leaks() && events % leakEvery == leakEvery - 1) {
                    long[] stack = leakStacks[leaked.size() % leakStacks.length];
                    long size = 24 + 60L * (leaked.size() % leakStacks.length);
                    int slot = takeSlot();
                    long address = address(slot);
                    writers[core].heapAlloc(core, SvIds.HEAP_EVENTS, address, size, stack, stack.length, STACK_SLOTS, step(core));
                    leaked.add(address);
                    leakedBytes += size;
                    allocs++;
                } else if (poolCount < spec.liveTarget() - 50 || (poolCount < spec.liveTarget() + 50 && random.nextBoolean())) {
                    alloc(core);
                } else {
                    free(core, random.nextInt(poolCount));
                }
                events++;
                if (isr) {
                    writers[core].isrExit(core, step(core));
                }
                if (random.nextInt(8192) == 0) {
                    writers[core].print(core, "I (" + tick / 40_000 + ") sim: " + poolCount + " blocks live\n", step(core));
                }
            }
            while (poolCount > 0) { // settle: only the planted leaks stay
                free(random.nextInt(2), poolCount - 1);
            }
            for (int c = 0; c < 2; c++) {
                writers[c].traceStop(c, step(c));
            }
            return new Truth(allocs + frees, allocs, frees, leaked.size(), leakedBytes, List.copyOf(leaked));
        }

        /** What OpenOCD puts at the start of every core's stream (cloned into both). */
        private void preamble() throws IOException {
            for (int c = 0; c < 2; c++) {
                SvWriter w = writers[c];
                w.traceStart(c, 0);
                w.init(c, SYS_FREQ, 240_000_000L, RAM_BASE, 0, 267);
                w.sysdesc(c, "N=FreeRTOS Application,D=esp32,C=xtensa,O=FreeRTOS", 366);
                w.sysdesc(c, "I#5=SysTick", 300);
                w.moduleDesc(c, 0, SvIds.HEAP_EVENTS, SvWriter.HEAP_MODULE, 1069);
                for (int core = 0; core < 2; core++) {
                    for (int t = 0; t < TASKS[core].length; t++) {
                        w.taskInfo(c, tid(core, t), 5, TASKS[core][t], 200);
                    }
                }
            }
            tick = 267 + 366 + 300 + 1069 + 200L * 6;
            lastTick[0] = tick;
            lastTick[1] = tick;
            for (int c = 0; c < 2; c++) {
                writers[c].taskStartExec(c, tid(c, 0), step(c));
            }
        }

        private void alloc(int core) throws IOException {
            long[] stack = allocStacks[random.nextInt(allocStacks.length)];
            long size = 1 + random.nextInt(SLOT);
            int slot = takeSlot();
            slotSize[slot] = size;
            poolSlots[poolCount++] = slot;
            writers[core].heapAlloc(core, SvIds.HEAP_EVENTS, address(slot), size, stack, stack.length, STACK_SLOTS, step(core));
            allocs++;
        }

        private void free(int core, int index) throws IOException {
            int slot = poolSlots[index];
            poolSlots[index] = poolSlots[--poolCount];
            freeSlots[freeCount++] = slot;
            long[] stack = freeStacks[random.nextInt(freeStacks.length)];
            writers[core].heapFree(core, SvIds.HEAP_EVENTS, address(slot), stack, stack.length, STACK_SLOTS, step(core));
            frees++;
        }

        private int takeSlot() {
            return freeSlots[--freeCount];
        }

        private static long address(int slot) {
            return HEAP_BASE + (long) slot * (SLOT + 12); // room for heap poisoning's head and tail
        }

        private static long tid(int core, int task) {
            return 0x3FFAF000L + 0x200L * (core * 8 + task) - RAM_BASE;
        }

        /** Advances the shared clock and returns the delta since this core's stream last wrote. */
        private long step(int core) {
            tick += 20 + random.nextInt(380);
            long delta = tick - lastTick[core];
            lastTick[core] = tick;
            return delta;
        }
    }
}
