package heapscope.analysis;

/**
 * What ESP-IDF's heap (multi_heap over TLSF) spends on a block beyond the bytes asked for: a 4-byte header per
 * used block, the size rounded up to 4 bytes, and at least 12 bytes of payload (TLSF's minimum block: a free block
 * must hold its free-list links). Heap poisoning (CONFIG_HEAP_POISONING_*) adds canaries not counted here.
 * Sources in docs/analysis.md.
 */
final class HeapCost {
    static final long HEADER = 4;
    static final long ALIGN = 4;
    static final long MIN_BLOCK = 12;

    private HeapCost() {
    }

    static long overhead(long size) {
        long block = Math.max(MIN_BLOCK, (size + ALIGN - 1) & -ALIGN);
        return block + HEADER - size;
    }

    /** Size class of a block: 0 for 0..1 bytes, k for 2^k..2^(k+1)-1. */
    static int sizeClass(long size) {
        return size <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(size);
    }
}
