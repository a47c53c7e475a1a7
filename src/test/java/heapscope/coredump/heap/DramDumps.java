package heapscope.coredump.heap;

import heapscope.Fixtures;
import heapscope.coredump.CoreDumpText;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Writes an ESP32-C3 core dump that saved DRAM ({@code CONFIG_ESP_COREDUMP_CAPTURE_DRAM}), with a heap whose every
 * block is known: the generator behind the tests of the heap at the crash, since no real dump with DRAM exists in
 * the corpus.
 *
 * <p>It starts from the corpus' real ESP32-C3 dump (its notes, tasks and stacks stay as they are) and adds memory
 * segments laid out as ESP-IDF v5.3's heap is in that firmware. The offsets below are written out by hand as
 * {@code llvm-dwarfdump --name=heap_t_ --show-children esp32c3.elf} (and likewise for {@code multi_heap_info},
 * {@code control_t}, {@code block_header_t}) prints them, not read with heapscope's DWARF reader, so a wrong reading
 * there cannot agree with itself here; {@code registered_heaps} (0x3fc8bbb0) and {@code _heap_start} (0x3fc8bd40)
 * are the ELF's symbols. The regions lie clear of the real dump's own TCBs and stacks rather than around them, so
 * the tasks read as before.
 *
 * <p>{@code java -cp target/classes:target/test-classes heapscope.coredump.heap.DramDumps crash.log} writes the
 * tests' dump inside a log, for trying {@code heapscope coredump} or {@code analyze} on it.
 */
public final class DramDumps {
    static final long REGISTERED_HEAPS = 0x3fc8bbb0L;
    static final long HEAP_START = 0x3fc8bd40L;
    /** The first region's start: clear of the real dump's TCBs and stacks (0x3fc8d9a0-0x3fc8f4e0), which live in the heap. */
    static final long FIRST_REGION = 0x3fc90000L;
    // struct heap_t_ (0x24 bytes): caps[3] 0x00, start 0x0c, end 0x10, heap_mux 0x14, heap 0x1c, next 0x20
    static final int NODE_SIZE = 0x24;
    // struct multi_heap_info (0x14 bytes): lock 0x00, free_bytes 0x04, minimum_free_bytes 0x08, pool_size 0x0c, heap_data 0x10
    static final int HEAD_SIZE = 0x14;
    // control_t: its size member at 0x14 (what tlsf_size() returns) says where the pool begins; any plausible value will do
    static final int CONTROL_SIZE = 0x1a4;

    private DramDumps() {
    }

    /** One block to lay out: its usable size (under poisoning, the size asked for) and whether it is allocated. */
    public record Block(long size, boolean used) {
    }

    /** One region: where it lies, its capabilities, and its blocks before the last free block that fills the rest. */
    public record Region(long start, long end, long[] caps, List<Block> blocks, long minimumFree) {
    }

    /** What the generator laid out: the dump's bytes, and every block of every region with its address (the truth). */
    public record Generated(byte[] dump, List<List<HeapBlock>> blocks, List<Long> freeBytes) {
    }

    /** MALLOC_CAP_8BIT | 32BIT | DMA | INTERNAL | DEFAULT at the first priority, EXEC at the second. */
    static final long[] DRAM_CAPS = {0x180e, 0x1, 0};

    /** The heap of the tests: two regions, 85 leaked 84-byte blocks among tasks' stacks and free holes. */
    public static List<Region> leakyHeap() {
        List<Block> first = new ArrayList<>();
        first.add(new Block(2 * NODE_SIZE, true)); // the heap_t_ array heap_caps_init allocates first
        first.add(new Block(344, true)); // a TCB
        first.add(new Block(4096, true)); // its stack
        for (int i = 0; i < 60; i++) {
            first.add(new Block(84, true));
            if (i % 10 == 9) {
                first.add(new Block(40, false));
            }
        }
        first.add(new Block(1024, true));
        List<Block> second = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            second.add(new Block(84, true));
        }
        second.add(new Block(512, false));
        second.add(new Block(2048, true));
        return List.of(new Region(FIRST_REGION, FIRST_REGION + 0x4000, DRAM_CAPS, first, 1200),
                new Region(0x3fcd0000L, 0x3fcd2000L, DRAM_CAPS, second, 3000));
    }

    public static Generated generate(List<Region> regions) throws IOException {
        return generate(regions, false);
    }

    /** The tasks of the real dump (main, IDLE, esp_timer) that own the blocks of a poisoned heap in turn. */
    static final long[] OWNERS = {0x3fc8ec30L, 0x3fc8f38cL, 0x3fc8da94L};
    /** sizeof(poison_head_t) with heap task tracking: head canary, task, size asked for. */
    static final int POISON_HEAD = 12;

    /**
     * With {@code poisoned}, every allocation is laid out as CONFIG_HEAP_POISONING_LIGHT with CONFIG_HEAP_TASK_TRACKING
     * does (the layout of the fixture heap-poisoning.elf): a 12-byte header (0xabba1234, the task, the size asked
     * for) at the block's start, the data, then 0xbaad5678; block sizes in the regions' specs are then the sizes asked
     * for, and the truth's addresses are the data's.
     */
    public static Generated generate(List<Region> regions, boolean poisoned) throws IOException {
        List<long[]> segments = new ArrayList<>(); // address, index into images
        List<byte[]> images = new ArrayList<>();
        List<List<HeapBlock>> truth = new ArrayList<>();
        List<Long> freeBytes = new ArrayList<>();
        ByteBuffer bss = le(new byte[(int) (HEAP_START - REGISTERED_HEAPS)]);
        long nodes = 0;
        for (int r = 0; r < regions.size(); r++) {
            Region region = regions.get(r);
            ByteBuffer m = le(new byte[(int) (region.end() - region.start())]);
            long control = region.start() + HEAD_SIZE;
            long pool = control + CONTROL_SIZE;
            put(m, region, control + 0x14, CONTROL_SIZE);
            List<HeapBlock> blocks = new ArrayList<>();
            long header = pool - 4;
            boolean prevFree = false;
            long free = 0;
            List<Block> all = new ArrayList<>(region.blocks());
            long lastPtr = header + 8;
            for (Block b : all) {
                lastPtr += tlsfSize(b, poisoned) + 4; // each block is its size word and its data
            }
            all.add(new Block(region.end() - 4 - lastPtr, false)); // the rest, leaving the sentinel's size word
            int allocated = 0;
            for (Block b : all) {
                long ptr = header + 8;
                long size = tlsfSize(b, poisoned);
                put(m, region, header + 4, size | (b.used() ? 0 : 1) | (prevFree ? 2 : 0));
                if (b.used() && poisoned) {
                    long owner = OWNERS[allocated++ % OWNERS.length];
                    put(m, region, ptr, 0xabba1234L);
                    put(m, region, ptr + 4, owner);
                    put(m, region, ptr + 8, b.size());
                    long tail = ptr + POISON_HEAD + b.size();
                    for (int k = 0; k < 4; k++) { // byte by byte: the tail need not be aligned
                        m.put((int) (tail + k - region.start()), (byte) (0xbaad5678L >>> (8 * k)));
                    }
                    blocks.add(new HeapBlock(ptr + POISON_HEAD, b.size(), true, owner));
                } else {
                    blocks.add(new HeapBlock(ptr, size, b.used()));
                }
                if (!b.used()) {
                    free += size;
                    put(m, region, header + 8, control); // next_free, prev_free: the control's block_null
                    put(m, region, header + 12, control);
                }
                long next = ptr + size - 4;
                if (!b.used()) {
                    put(m, region, next, header); // prev_phys_block, kept for free blocks only
                }
                prevFree = !b.used();
                header = next;
            }
            put(m, region, header + 4, prevFree ? 2 : 0); // the end sentinel: size 0, used
            put(m, region, region.start() + 0x04, free);
            put(m, region, region.start() + 0x08, Math.min(free, region.minimumFree()));
            put(m, region, region.start() + 0x0c, region.end() - region.start() - HEAD_SIZE);
            put(m, region, region.start() + 0x10, control);
            if (r == 0) {
                nodes = blocks.get(0).address();
            }
            truth.add(blocks);
            freeBytes.add(free);
            segments.add(new long[] {region.start(), images.size()});
            images.add(m.array());
        }
        // the heap_t_ nodes, in the first region's first block; registered_heaps points at the first
        for (int r = 0; r < regions.size(); r++) {
            Region region = regions.get(r);
            long node = nodes + (long) r * NODE_SIZE;
            ByteBuffer m = le(images.get(0));
            for (int i = 0; i < 3; i++) {
                put(m, regions.get(0), node + 4L * i, region.caps()[i]);
            }
            put(m, regions.get(0), node + 0x0c, region.start());
            put(m, regions.get(0), node + 0x10, region.end());
            put(m, regions.get(0), node + 0x1c, region.start());
            put(m, regions.get(0), node + 0x20, r + 1 < regions.size() ? node + NODE_SIZE : 0);
        }
        bss.putInt(0, (int) nodes);
        segments.add(0, new long[] {REGISTERED_HEAPS, images.size()});
        images.add(bss.array());
        return new Generated(withSegments(segments, images), truth, freeBytes);
    }

    /**
     * Writes the tests' dump, inside a log, to the path given, which must not exist yet:
     * {@code java -cp target/classes:target/test-classes heapscope.coredump.heap.DramDumps crash.log}.
     */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), asLog(generate(leakyHeap()).dump()), StandardCharsets.US_ASCII,
                java.nio.file.StandardOpenOption.CREATE_NEW);
    }

    /** A block's TLSF size: under poisoning the header and tail canary around the data, rounded up to 4. */
    private static long tlsfSize(Block b, boolean poisoned) {
        return b.used() && poisoned ? (b.size() + POISON_HEAD + 4 + 3) & ~3L : b.size();
    }

    /** The dump as ESP-IDF prints it on the UART, inside a log. */
    public static String asLog(byte[] dump) {
        StringBuilder b = new StringBuilder("I (1234) app: about to run out of memory\n");
        b.append("I (1240) esp_core_dump_uart: Print core dump to uart...\n");
        b.append("================= CORE DUMP START =================\n");
        String text = Base64.getEncoder().encodeToString(dump);
        for (int i = 0; i < text.length(); i += 76) {
            b.append(text, i, Math.min(text.length(), i + 76)).append('\n');
        }
        b.append("================= CORE DUMP END =================\n");
        return b.toString();
    }

    private static void put(ByteBuffer m, Region region, long address, long value) {
        m.putInt((int) (address - region.start()), (int) value);
    }

    private static ByteBuffer le(byte[] b) {
        return CoreElf.le(b);
    }

    /** The real dump's core ELF with {@code extra} memory segments appended, under its header of the same version. */
    private static byte[] withSegments(List<long[]> extra, List<byte[]> images) throws IOException {
        Path real = Fixtures.corpus("esp-coredump/esp32c3_coredump.b64");
        byte[] dump = CoreDumpText.find(real, Files.readAllBytes(real)).bytes();
        int headerSize = 24; // version 0x0102: ELF format, CRC32
        byte[] elf = Arrays.copyOfRange(dump, headerSize, le(dump).getInt(0) - 4);
        List<CoreElf.Program> programs = new ArrayList<>(CoreElf.programs(elf));
        for (long[] s : extra) {
            programs.add(CoreElf.Program.memory(s[0], images.get((int) s[1])));
        }
        return CoreElf.withHeader(Arrays.copyOf(dump, headerSize), CoreElf.write(le(elf).getShort(18), programs));
    }
}
