package heapscope.coredump.heap;

import heapscope.dwarf.StructLayout;
import heapscope.elf.ElfSymbol;
import heapscope.symbols.Symbolizer;

import java.util.List;

/**
 * Where ESP-IDF keeps its heaps and how their metadata is laid out, all from the application ELF: the symbol
 * {@code registered_heaps} and the DWARF types of {@code struct heap_t_} (one registered region), {@code struct
 * multi_heap_info} (the heap's head, at the region's start), TLSF's {@code control_t} and {@code block_header_t}.
 *
 * @param registeredHeaps address of the {@code SLIST_HEAD} of registered regions (its first word is the first node)
 * @param poolFromControl true when the TLSF control structure records its own size ({@code control_t.size}, ESP-IDF
 *                        v5.2 and later: the pool begins that many bytes after it), false when the pool begins
 *                        {@code sizeof(control_t)} after it
 * @param controlSize     {@code control_t.size}'s offset when {@code poolFromControl}, else {@code sizeof(control_t)}
 * @param poisoning       where heap poisoning keeps each allocation's size and owner, null when the firmware does not
 *                        poison its heap
 */
public record HeapLayout(long registeredHeaps, long nodeCaps, long nodeStart, long nodeEnd, long nodeHeap, long nodeNext,
                         long heapData, long freeBytes, long minimumFreeBytes, long poolSize,
                         boolean poolFromControl, long controlSize, long blockSize, Poisoning poisoning) {
    static final String NODE = "heap_t_";
    static final String HEAD = "multi_heap_info";
    static final String CONTROL = "control_t";
    static final String BLOCK = "block_header_t";
    static final String POISON = "poison_head_t";
    /** Target word and {@code size_t}: every ESP32 is 32-bit. */
    static final int WORD = 4;

    /** What the report says the layouts came from. */
    public String source() {
        return "symbol registered_heaps and DWARF types struct " + NODE + ", struct " + HEAD + ", " + CONTROL + " and " + BLOCK
                + (poisoning == null ? "" : " (with heap poisoning's " + POISON + ")") + " of the ELF";
    }

    /**
     * Heap poisoning's header in front of each allocation ({@code CONFIG_HEAP_POISONING_LIGHT} or
     * {@code _COMPREHENSIVE}, {@code struct poison_head_t}), and the canaries around it.
     *
     * @param headSize  {@code sizeof(poison_head_t)}: the pointer malloc returns lies that far into the block
     * @param allocSize the offset of the size asked for
     * @param task      the offset of the allocating task's handle ({@code CONFIG_HEAP_TASK_TRACKING}), -1 without
     */
    public record Poisoning(long headSize, long allocSize, long task) {
        public static final long HEAD_CANARY = 0xabba1234L;
        public static final long TAIL_CANARY = 0xbaad5678L;
        /** The tail canary after the data. */
        public static final int TAIL = 4;
    }

    /** The layout, or why the ELF cannot give it. */
    public sealed interface Result {
    }

    public record Found(HeapLayout layout) implements Result {
    }

    public record Missing(String reason) implements Result {
    }

    public static Result of(Symbolizer elf) {
        long head = -1;
        for (ElfSymbol s : elf.elf().symbols()) {
            if (s.type() == ElfSymbol.STT_OBJECT && s.name().equals("registered_heaps") && s.sectionIndex() != ElfSymbol.SHN_UNDEF) {
                head = s.value();
                break;
            }
        }
        if (head < 0) {
            return new Missing("the ELF has no symbol registered_heaps (not an ESP-IDF application, or stripped)");
        }
        StructLayout node = elf.struct(NODE).orElse(null);
        StructLayout info = elf.struct(HEAD).orElse(null);
        StructLayout control = elf.struct(CONTROL).orElse(null);
        StructLayout block = elf.struct(BLOCK).orElse(null);
        String missing = missing(node, NODE, List.of("caps", "start", "end", "heap", "next"));
        if (missing == null) {
            missing = missing(info, HEAD, List.of("heap_data", "free_bytes", "minimum_free_bytes", "pool_size"));
        }
        if (missing == null) {
            missing = control == null ? "the ELF's DWARF does not describe TLSF's " + CONTROL
                    + " (TLSF in ROM, CONFIG_HEAP_TLSF_USE_ROM_IMPL, or a heap older than ESP-IDF v5)" : null;
        }
        if (missing == null) {
            missing = missing(block, BLOCK, List.of("size"));
        }
        if (missing != null) {
            return new Missing(missing);
        }
        boolean fromControl = control.offset("size") >= 0;
        long controlSize = fromControl ? control.offset("size") : control.size();
        if (controlSize < 0) {
            return new Missing("the ELF's DWARF gives neither " + CONTROL + ".size nor sizeof(" + CONTROL + ")");
        }
        StructLayout poison = elf.struct(POISON).orElse(null);
        Poisoning poisoning = poison == null || poison.size() <= 0 || poison.offset("head_canary") != 0 || poison.offset("alloc_size") < 0
                ? null : new Poisoning(poison.size(), poison.offset("alloc_size"), poison.offset("task"));
        return new Found(new HeapLayout(head, node.offset("caps"), node.offset("start"), node.offset("end"),
                node.offset("heap"), node.offset("next"), info.offset("heap_data"), info.offset("free_bytes"),
                info.offset("minimum_free_bytes"), info.offset("pool_size"), fromControl, controlSize, block.offset("size"),
                poisoning));
    }

    private static String missing(StructLayout s, String name, List<String> members) {
        if (s == null) {
            return "the ELF's DWARF does not describe struct " + name + " (built without debug information?)";
        }
        for (String m : members) {
            if (s.offset(m) < 0) {
                return "struct " + name + " in the ELF's DWARF has no member " + m + " (a heap layout this version does not know)";
            }
        }
        return null;
    }
}
