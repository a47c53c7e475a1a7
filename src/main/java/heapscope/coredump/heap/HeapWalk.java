package heapscope.coredump.heap;

import heapscope.coredump.Memory;
import heapscope.symbols.Symbolizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks ESP-IDF's heap in a core dump as {@code heap_caps_walk} does on the device: the list of registered regions
 * from {@code registered_heaps}, then each region's TLSF pool from its first block to the end sentinel, by the size
 * word in each block header. Every step is checked against the region's bounds, so a damaged heap stops the walk
 * with the reason and keeps the blocks before it.
 */
public final class HeapWalk {
    /** More regions than any ESP32 registers: a longer list is a loop in damaged memory. */
    private static final int MAX_REGIONS = 64;
    private static final long FREE_BIT = 1;
    private static final long PREV_FREE_BIT = 2;
    /** TLSF's smallest block: a header's free-list links. */
    private static final int MIN_BLOCK = 12;

    private final Memory memory;
    private final HeapLayout layout;
    private final List<String> warnings = new ArrayList<>();
    /** Damaged canaries the walk named one by one; any more are counted. */
    private static final int CORRUPTIONS_NAMED = 8;
    private long corrupted;

    private HeapWalk(Memory memory, HeapLayout layout) {
        this.memory = memory;
        this.layout = layout;
    }

    public static HeapAtCrash read(Memory memory, Symbolizer elf) {
        return switch (HeapLayout.of(elf)) {
            case HeapLayout.Missing m -> new HeapAtCrash.NotWalked(m.reason() + ": the heap is not walked");
            case HeapLayout.Found f -> read(memory, f.layout());
        };
    }

    static HeapAtCrash read(Memory memory, HeapLayout layout) {
        long first = memory.u32(layout.registeredHeaps());
        if (first < 0) {
            return new HeapAtCrash.NotWalked(String.format("the dump does not hold registered_heaps (0x%08x), so not the "
                    + "heap either: the firmware saves DRAM only with CONFIG_ESP_COREDUMP_CAPTURE_DRAM", layout.registeredHeaps()));
        }
        return new HeapWalk(memory, layout).regions(first);
    }

    private HeapAtCrash regions(long node) {
        List<HeapRegion> out = new ArrayList<>();
        while (node != 0) {
            if (out.size() == MAX_REGIONS) {
                warnings.add("registered_heaps lists more than " + MAX_REGIONS + " regions: a loop in damaged memory; the rest are not read");
                break;
            }
            long start = memory.u32(node + layout.nodeStart());
            long end = memory.u32(node + layout.nodeEnd());
            long head = memory.u32(node + layout.nodeHeap());
            long next = memory.u32(node + layout.nodeNext());
            if (start < 0 || end < 0 || head < 0 || next < 0) {
                warnings.add(String.format("the registered region at 0x%08x is not in the dump: it and the ones after it are not read", node));
                break;
            }
            long[] caps = new long[3];
            for (int i = 0; i < caps.length; i++) {
                caps[i] = memory.u32(node + layout.nodeCaps() + 4L * i);
            }
            out.add(region(start, end, head, caps));
            node = next;
        }
        if (corrupted > CORRUPTIONS_NAMED) {
            warnings.add((corrupted - CORRUPTIONS_NAMED) + " more blocks have a canary overwritten");
        }
        return new HeapAtCrash.Walked(out, warnings, layout);
    }

    /**
     * An allocation under heap poisoning: its header (the head canary, the size asked for, the task) at the block's
     * start, the data after it, the tail canary after the data. A canary that is not the pattern is heap corruption
     * at the crash; the block then keeps the size the header can still give.
     */
    private HeapBlock poisoned(String where, long block, long size) {
        HeapLayout.Poisoning p = layout.poisoning();
        long data = block + p.headSize();
        long room = size - p.headSize() - HeapLayout.Poisoning.TAIL;
        long canary = memory.u32(block);
        long asked = memory.u32(block + p.allocSize());
        long owner = p.task() < 0 ? 0 : Math.max(0, memory.u32(block + p.task()));
        if (canary != HeapLayout.Poisoning.HEAD_CANARY) {
            corrupt(String.format("%s: the block at 0x%08x has its head canary overwritten (0x%08x, not 0x%08x): something wrote "
                    + "before its start, or the block before it overran", where, data, canary, HeapLayout.Poisoning.HEAD_CANARY));
            return new HeapBlock(data, Math.max(0, room), true, owner);
        }
        if (asked < 0 || asked > room) {
            corrupt(String.format("%s: the block at 0x%08x says it holds %d bytes, more than its %d: its header is damaged",
                    where, data, asked, Math.max(0, room)));
            return new HeapBlock(data, Math.max(0, room), true, owner);
        }
        byte[] tail = memory.bytes(data + asked, HeapLayout.Poisoning.TAIL);
        long tailWord = tail == null ? -1 : (tail[0] & 0xffL) | (tail[1] & 0xffL) << 8 | (tail[2] & 0xffL) << 16 | (tail[3] & 0xffL) << 24;
        if (tail != null && tailWord != HeapLayout.Poisoning.TAIL_CANARY) {
            corrupt(String.format("%s: the %d-byte block at 0x%08x has its tail canary overwritten (0x%08x, not 0x%08x): something "
                    + "wrote past its end", where, asked, data, tailWord, HeapLayout.Poisoning.TAIL_CANARY));
        }
        return new HeapBlock(data, asked, true, owner);
    }

    /** Names the first few damaged canaries of the walk and counts the rest. */
    private void corrupt(String problem) {
        if (++corrupted <= CORRUPTIONS_NAMED) {
            warnings.add(problem);
        }
    }

    private HeapRegion region(long start, long end, long head, long[] caps) {
        long free = memory.u32(head + layout.freeBytes());
        long minimum = memory.u32(head + layout.minimumFreeBytes());
        List<HeapBlock> blocks = new ArrayList<>();
        String where = String.format("region 0x%08x-0x%08x", start, end);
        if (!memory.has(head, HeapLayout.WORD)) {
            return new HeapRegion(start, end, caps, free, minimum, blocks, "its memory is not in the dump (the dump saves "
                    + "internal DRAM; this region lies elsewhere, as PSRAM, IRAM or RTC memory do)");
        }
        if (end <= start || head < start || head >= end) {
            return new HeapRegion(start, end, caps, free, minimum, blocks,
                    String.format("its bounds or its head at 0x%08x are inconsistent: the region is not walked", head));
        }
        long control = memory.u32(head + layout.heapData());
        long pool = control < 0 ? -1 : layout.poolFromControl() ? memory.u32(control + layout.controlSize()) : layout.controlSize();
        if (control < 0 || pool < 0) {
            return new HeapRegion(start, end, caps, free, minimum, blocks, "its TLSF control structure is not in the dump");
        }
        pool += control;
        if (pool <= start || pool >= end) {
            return new HeapRegion(start, end, caps, free, minimum, blocks,
                    String.format("its TLSF pool would begin at 0x%08x, outside the region: the region is not walked", pool));
        }
        // the first block's header lies one word before the pool, so that its size word is the pool's first word
        long header = pool - HeapLayout.WORD;
        boolean prevFree = false;
        String stop = null;
        long disagreeing = 0; // headers whose "previous is free" bit is wrong: the first is named, the rest counted
        for (long n = 0; ; n++) {
            long sizeWord = memory.u32(header + layout.blockSize());
            if (sizeWord < 0) {
                stop = String.format("the block header at 0x%08x is not in the dump", header);
                break;
            }
            long size = sizeWord & ~(FREE_BIT | PREV_FREE_BIT);
            if (((sizeWord & PREV_FREE_BIT) != 0) != prevFree && n > 0 && disagreeing++ == 0) {
                warnings.add(String.format("%s: the block header at 0x%08x says the block before it is %s, but it is %s: "
                        + "the heap is damaged here", where, header, prevFree ? "used" : "free", prevFree ? "free" : "used"));
            }
            if (size == 0) {
                break; // the end sentinel
            }
            long address = header + layout.blockSize() + HeapLayout.WORD;
            if (size < MIN_BLOCK || size % HeapLayout.WORD != 0 || address + size + HeapLayout.WORD > end) {
                stop = String.format("the block at 0x%08x claims %d bytes, %s: the heap is damaged here", address, size,
                        address + size + HeapLayout.WORD > end ? String.format("past the region's end at 0x%08x", end) : "not a TLSF block size");
                break;
            }
            boolean used = (sizeWord & FREE_BIT) == 0;
            blocks.add(used && layout.poisoning() != null ? poisoned(where, address, size) : new HeapBlock(address, size, used));
            prevFree = !used;
            header = address + size - HeapLayout.WORD;
        }
        if (disagreeing > 1) {
            warnings.add(String.format("%s: %d more block headers disagree with the block before them", where, disagreeing - 1));
        }
        HeapRegion r = new HeapRegion(start, end, caps, free, minimum, blocks, stop);
        if (stop == null && free >= 0 && free != r.walkedFreeBytes()) {
            warnings.add(String.format("%s: its head says %d bytes are free, its blocks add up to %d (the crash came in the "
                    + "middle of an allocation or a free, or the heap is damaged)", where, free, r.walkedFreeBytes()));
        }
        return r;
    }
}
