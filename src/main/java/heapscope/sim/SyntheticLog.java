package heapscope.sim;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes serial logs holding {@code heap_trace_dump()} output in the exact printf formats of each ESP-IDF
 * generation (docs/log-formats.md), optionally mixed with the noise of real captures, and returns what a
 * correct reader must get back. A simulated firmware allocates from a few call sites between dumps; some sites
 * never free (the leaks, present in every later dump), the others free their blocks after a while.
 */
public final class SyntheticLog {
    public enum Generation { V4_4, V5_1, V5_5 }

    /**
     * @param depth     CONFIG_HEAP_TRACING_STACK_DEPTH (0 = RISC-V default, no callers)
     * @param all       HEAP_TRACE_ALL (freed records stay in the dump) instead of HEAP_TRACE_LEAKS
     * @param noise     ANSI colours, CRLF, host timestamps, idf.py monitor decoding lines, interleaved log lines,
     *                  garbled record lines, and a final dump cut off mid-way
     * @param held      blocks allocated before the first dump and never freed (a firmware's long-lived buffers, from
     *                  call sites of their own): listed again by every dump, so dumps of many records need few steps
     */
    public record Spec(Generation generation, int depth, boolean all, int dumps, int stepsPerDump, boolean noise, long seed, int held) {
        public Spec(Generation generation, int depth, boolean all, int dumps, int stepsPerDump, boolean noise, long seed) {
            this(generation, depth, all, dumps, stepsPerDump, noise, seed, 0);
        }
    }

    /** A record as the dump printed it. */
    public record Block(long address, long size, int cpu, List<Long> callers, boolean freed) {
    }

    /**
     * @param dumps         for each dump, the records a reader must decode from it (garbled ones excluded)
     * @param skippedLines  line numbers of lines garbled on purpose, which a reader must report as skipped
     * @param lastDumpCut   the log ends inside the last dump
     */
    public record Truth(List<List<Block>> dumps, List<Long> skippedLines, boolean lastDumpCut) {
        /**
         * Blocks alive in the last complete dump (the last one, if it is the only one, even cut): the leak report's
         * blocks. A dump the log stops inside lists only some of the blocks alive.
         */
        public List<Block> leaked() {
            int last = lastDumpCut && dumps.size() > 1 ? dumps.size() - 2 : dumps.size() - 1;
            return last < 0 ? List.of() : dumps.get(last).stream().filter(b -> !b.freed()).toList();
        }

        /** The listings a report shows: all but a cut last one, unless it is the only one. */
        public int completeDumps() {
            return lastDumpCut && dumps.size() > 1 ? dumps.size() - 1 : dumps.size();
        }
    }

    private SyntheticLog() {
    }

    /** What {@link #distinctStacks} wrote: every record is a leak of its own call stack. */
    public record Dump(int records, long bytes) {
    }

    /**
     * One {@code heap_trace_dump()} (v5.1 format, HEAP_TRACE_LEAKS, depth 5) of {@code records} blocks, each from a
     * call stack of its own: the worst case for anything that keeps state per stack or walks the live set.
     */
    public static Dump distinctStacks(int records, Writer out) throws IOException {
        out.write(String.format(Locale.ROOT, "====== Heap Trace: %d records (%d capacity) ======\n", records, records));
        long address = 0x3FC9A000L;
        long bytes = 0;
        for (int i = 0; i < records; i++) {
            long size = 16 + i % 64;
            // the second and third callers together count up i: 2^18 values each
            out.write(String.format(Locale.ROOT, "%6d bytes (@ 0x%08x, Internal) allocated CPU %d ccount 0x%08x caller "
                            + "0x40376183:0x%08x:0x%08x:0x4200a12a:0x4200b22a\n", size, address, i & 1, (0x10000000L + address) & ~3L,
                    0x42000000L + 4L * (i & 0x3FFFF), 0x42100000L + 4L * (i >>> 18)));
            bytes += size;
            address += 96;
        }
        out.write(String.format(Locale.ROOT, "====== Heap Trace Summary ======\nMode: Heap Trace Leaks\n%d bytes 'leaked' in trace "
                + "(%d allocations)\nrecords: %d (%d capacity, %d high water mark)\ntotal allocations: %d\ntotal frees: 0\n"
                + "================================\n", bytes, records, records, records, records, records));
        out.flush();
        return new Dump(records, bytes);
    }

    public static Truth write(Spec spec, Writer out) throws IOException {
        return new Generator(spec, out).run();
    }

    private static final class Generator {
        private final Spec spec;
        private final Writer out;
        private final SplittableRandom random;
        private long line; // lines written so far
        private long ms = 500;
        private final long[][] sites;
        private final long[][] heldSites;
        /** The record buffer's size: room for every block of the run, as a firmware sizes it (a full one drops records). */
        private final long capacity;
        private final Map<Long, Block> records = new LinkedHashMap<>(); // oldest first, as the device keeps them
        private final Map<Long, Integer> dueStep = new LinkedHashMap<>();
        private long nextAddress = 0x3FC9A000L;
        private long totalAllocs;
        private long totalFrees;
        private final List<List<Block>> dumps = new ArrayList<>();
        private final List<Long> skipped = new ArrayList<>();

        Generator(Spec spec, Writer out) {
            this.spec = spec;
            this.out = out;
            this.random = new SplittableRandom(spec.seed());
            sites = sites(6, 0x4200002AL, spec.depth());
            // more sites than a reader's few most recent call stacks, so that a dump of held blocks does not repeat one
            heldSites = sites(24, 0x4201003EL, spec.depth());
            capacity = Math.max(4096, (spec.held() + (long) spec.dumps() * spec.stepsPerDump() + 1023) / 1024 * 1024);
        }

        /** {@code n} call stacks of {@code depth} frames, all called from the same allocator entry, code from {@code base} on. */
        private static long[][] sites(int n, long base, int depth) {
            long[][] sites = new long[n][];
            for (int i = 0; i < n; i++) {
                sites[i] = new long[Math.max(0, depth)];
                for (int k = 0; k < sites[i].length; k++) {
                    sites[i][k] = k == 0 ? 0x40376183L : base + 0x100L * (i * 16 + k);
                }
            }
            return sites;
        }

        Truth run() throws IOException {
            boolean cut = false;
            for (int h = 0; h < spec.held(); h++) {
                allocate(heldSites[random.nextInt(heldSites.length)], 16 + 8L * random.nextInt(64));
            }
            for (int d = 0; d < spec.dumps(); d++) {
                for (int step = 0; step < spec.stepsPerDump(); step++) {
                    step(d * spec.stepsPerDump() + step);
                }
                boolean last = d == spec.dumps() - 1;
                cut = spec.noise() && last;
                dump(cut);
            }
            out.flush();
            return new Truth(dumps, skipped, cut);
        }

        /** One step of the simulated firmware: allocate from a random site; sites 0 and 1 leak, others free later. */
        private void step(int step) {
            for (Map.Entry<Long, Integer> due : new ArrayList<>(dueStep.entrySet())) {
                if (due.getValue() <= step) {
                    dueStep.remove(due.getKey());
                    free(due.getKey());
                }
            }
            int site = random.nextInt(sites.length);
            long address = allocate(sites[site], site < 2 ? 84 + 36L * site : 1 + random.nextInt(300));
            if (site >= 2) {
                dueStep.put(address, step + 1 + random.nextInt(5));
            }
        }

        /** A block of {@code size} bytes from the call stack {@code site}, at the next free address; its address. */
        private long allocate(long[] site, long size) {
            long address = nextAddress;
            nextAddress += (size + 3) / 4 * 4 + 12;
            List<Long> callers = new ArrayList<>();
            for (long c : site) {
                callers.add(c);
            }
            records.put(address, new Block(address, size, random.nextInt(2), callers, false));
            totalAllocs++;
            return address;
        }

        private void free(long address) {
            totalFrees++;
            Block b = records.get(address);
            if (spec.all()) {
                records.put(address, new Block(b.address(), b.size(), b.cpu(), b.callers(), true));
            } else {
                records.remove(address);
            }
        }

        private void dump(boolean cut) throws IOException {
            List<Block> decoded = new ArrayList<>();
            List<Block> list = new ArrayList<>(records.values());
            noise();
            if (spec.generation() == Generation.V4_4) {
                emit(String.format(Locale.ROOT, "%d allocations trace (%d entry buffer)", list.size(), capacity));
            } else {
                emit(String.format(Locale.ROOT, "====== Heap Trace: %d records (%d capacity) ======", list.size(), capacity));
            }
            long aliveBytes = 0;
            int alive = 0;
            int stopAt = cut ? list.size() / 2 : Integer.MAX_VALUE;
            for (int i = 0; i < list.size(); i++) {
                if (i == stopAt) {
                    dumps.add(decoded);
                    return; // the log ends here
                }
                Block b = list.get(i);
                // Before v5.5 a freed record is recognised only by its freed_by stack: with depth 0 it looks alive.
                boolean shownFreed = b.freed() && (spec.generation() == Generation.V5_5 || spec.depth() > 0);
                if (spec.noise() && random.nextInt(40) == 0) {
                    skipped.add(line + 1);
                    List<String> lines = record(b, shownFreed);
                    String whole = lines.get(0);
                    emitRaw(whole.substring(0, Math.min(whole.length(), 12 + random.nextInt(18))) + " bytes (@ \u00ff\u00fe garbled");
                    if (lines.size() > 1) {
                        skipped.add(line + 1);
                        emit(lines.get(1)); // a freed-by line whose record is lost
                    }
                    continue;
                }
                for (String l : record(b, shownFreed)) {
                    emit(l);
                    if (spec.noise() && l.contains(" bytes (@ ") && b.callers().size() > 0 && random.nextBoolean()) {
                        decoration(b.callers());
                    }
                }
                decoded.add(new Block(b.address(), b.size(), b.cpu(), b.callers(), shownFreed));
                if (!shownFreed) {
                    alive++;
                    aliveBytes += b.size();
                }
                if (spec.noise() && spec.generation() != Generation.V4_4 && random.nextInt(10) == 0) {
                    noise(); // esp_rom_printf output interleaves with other tasks' logging
                }
            }
            dumps.add(decoded);
            summary(list, alive, aliveBytes);
            noise();
        }

        /** The record's lines: the record line, and a "freed by" line when the format prints one. */
        private List<String> record(Block b, boolean shownFreed) {
            Generation g = spec.generation();
            StringBuilder r = new StringBuilder();
            String ptr = g == Generation.V4_4 ? "0x" + Long.toHexString(b.address()) : String.format("0x%08x", b.address());
            if (g == Generation.V4_4) {
                r.append(b.size()).append(" bytes (@ ").append(ptr).append(")");
            } else {
                r.append(String.format(Locale.ROOT, "%6d bytes (@ %s%s)", b.size(), ptr, ", Internal"));
            }
            r.append(" allocated CPU ").append(b.cpu()).append(String.format(" ccount 0x%08x", (0x10000000L + b.address()) & ~3L));
            boolean withCallers = g != Generation.V5_5 || (spec.depth() != 0 && !b.callers().isEmpty());
            if (withCallers) {
                r.append(" caller ").append(callerList(b.callers(), false));
            }
            List<String> lines = new ArrayList<>();
            boolean freedByLine = shownFreed && spec.all() && spec.depth() > 0;
            if (shownFreed && !freedByLine) {
                r.append(" freed"); // v5.5 only: earlier versions cannot show this case
            }
            lines.add(r.toString());
            if (freedByLine) {
                List<Long> freers = List.of(0x403839E4L, 0x42008096L);
                lines.add("freed by " + callerList(freers.subList(0, Math.min(freers.size(), spec.depth())), true));
            }
            return lines;
        }

        /** "%p%s" per slot with ':' after all but the last slot; unused slots are only printed for freed-by. */
        private String callerList(List<Long> callers, boolean allSlots) {
            StringBuilder b = new StringBuilder();
            int n = allSlots ? spec.depth() : callers.size();
            for (int j = 0; j < n; j++) {
                long pc = j < callers.size() ? callers.get(j) : 0;
                b.append(spec.generation() == Generation.V4_4 ? "0x" + Long.toHexString(pc) : String.format("0x%08x", pc));
                if (j < spec.depth() - 1) {
                    b.append(':');
                }
            }
            return b.toString();
        }

        private void summary(List<Block> list, int alive, long aliveBytes) throws IOException {
            if (spec.generation() == Generation.V4_4) {
                emit(spec.all() ? aliveBytes + " bytes alive in trace (" + alive + "/" + list.size() + " allocations)"
                        : aliveBytes + " bytes 'leaked' in trace (" + alive + " allocations)");
                emit("total allocations " + totalAllocs + " total frees " + totalFrees);
                return;
            }
            emit("====== Heap Trace Summary ======");
            emit(spec.all() ? "Mode: Heap Trace All" : "Mode: Heap Trace Leaks");
            emit(spec.all() ? aliveBytes + " bytes alive in trace (" + alive + "/" + list.size() + " allocations)"
                    : aliveBytes + " bytes 'leaked' in trace (" + alive + " allocations)");
            emit("records: " + list.size() + " (" + capacity + " capacity, " + list.size() + " high water mark)");
            emit("total allocations: " + totalAllocs);
            emit("total frees: " + totalFrees);
            emit("================================");
        }

        private void decoration(List<Long> callers) throws IOException {
            for (int k = 0; k < callers.size(); k++) {
                emitRaw((k == 0 ? "--- " : "") + String.format("0x%08x", callers.get(k)) + ": site_" + k + " at /project/main/app.c:" + (10 + k));
                if (k == 0) {
                    emitRaw(" (inlined by) caller_" + k + " at /project/main/app.c:" + (40 + k));
                }
            }
        }

        private void noise() throws IOException {
            if (!spec.noise()) {
                return;
            }
            ms += 1 + random.nextInt(900);
            String msg = switch (random.nextInt(4)) {
                case 0 -> "\u001b[0;32mI (" + ms + ") wifi: connected to ap, rssi -61 bytes (@ home)\u001b[0m";
                case 1 -> "W (" + ms + ") app: slow response";
                case 2 -> "D (" + ms + ") esp_netif: 128 bytes queued";
                default -> "I (" + ms + ") main: free heap 123456";
            };
            emitRaw(msg);
        }

        private void emit(String text) throws IOException {
            emitRaw(text);
        }

        private void emitRaw(String text) throws IOException {
            line++;
            if (spec.noise()) {
                long t = 36_000_000L + ms;
                out.write(String.format(Locale.ROOT, "[%02d:%02d:%02d.%03d] ", t / 3_600_000 % 24, t / 60_000 % 60, t / 1000 % 60, t % 1000));
            }
            out.write(text);
            out.write(spec.noise() && (line & 1) == 0 ? "\r\n" : "\n");
        }
    }
}
