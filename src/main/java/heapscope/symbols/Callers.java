package heapscope.symbols;

import heapscope.dwarf.CallGraph;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;
import heapscope.elf.ElfSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who can have called the function holding a return address: the program's call sites, and whether they are all
 * of its callers. A function is <em>closed</em>, its call sites being every way into it, when:
 * <ul>
 * <li>no call reaches it as a tail call (a tail-called function's frame sits above its caller's caller), and no call
 *     names a DIE that several clones of it refine;</li>
 * <li>code that does not describe its calls (no DW_AT_call_all_calls: assembly, libraries without call-site
 *     entries) cannot call it directly. On Xtensa a direct call or jump is PC-relative (CALL0/4/8/12, J), so every
 *     byte of such code is decoded as one, aligned or not, and a function any of them could reach is not closed
 *     (calls through a register load the address from a literal, which the word scan below sees). Elsewhere it must
 *     be static with every function of its unit describing all its calls, or external with every function in the
 *     image doing so. ROM code was linked before the firmware, so it reaches firmware code only through pointers;</li>
 * <li>its address is not seen taken: not an argument of any call (DW_OP_addr call values), not an aligned word of
 *     any allocated section (tables, vtables, and on Xtensa every address code loads, since L32R literals are the
 *     only way there to build one; a long call through a literal also counts, which costs recall, never precision);
 *     and, on other machines, where code builds addresses from instruction immediates (RISC-V lui/addi), the
 *     program has no indirect call and no code that does not describe its calls.</li>
 * </ul>
 */
public final class Callers {
    /** More candidate callers than this are not listed. */
    public static final int MAX_CANDIDATES = 5;

    /** What is known of the callers of one function. */
    public sealed interface Answer {
    }

    /** The one call site that can have called it: the next outer frame is this return address. */
    public record Certain(long returnAddress) implements Answer {
    }

    /** 2 to {@value #MAX_CANDIDATES} call sites, one of which called it. */
    public record Candidates(long[] returnAddresses) implements Answer {
    }

    /** Nothing certain: why (no caller known, too many, or callers that the call graph cannot see). */
    public record Unknown(String reason) implements Answer {
    }

    private final CallGraph graph;
    private final boolean addressesInWords;
    private final boolean allDescribed;
    private final boolean openWorld; // some function may be reached unseen through a pointer built in code
    private final boolean[] unitDescribed;
    private long[] words; // every aligned word of the image, sorted; built on first need
    private Set<Long> undescribedTargets; // Xtensa: what code without call-site entries may call or jump to

    private final ElfFile elf;

    Callers(ElfFile elf, CallGraph graph) {
        this.elf = elf;
        this.graph = graph;
        this.addressesInWords = elf.machine() == ElfFile.EM_XTENSA;
        boolean described = true;
        int units = 0;
        for (int f = 0; f < graph.functionCount(); f++) {
            units = Math.max(units, graph.unit(f) + 1);
        }
        unitDescribed = new boolean[units];
        Arrays.fill(unitDescribed, true);
        for (int f = 0; f < graph.functionCount(); f++) {
            if (!graph.describesAllCalls(f)) {
                unitDescribed[graph.unit(f)] = false;
                described = false;
            }
        }
        List<ElfSection> sections = elf.sections();
        for (ElfSymbol s : elf.symbols()) { // code the DWARF does not describe (assembly, libraries without -g)
            if (described && s.type() == ElfSymbol.STT_FUNC && s.size() > 0 && s.sectionIndex() < sections.size()
                    && s.sectionIndex() != ElfSymbol.SHN_UNDEF && sections.get(s.sectionIndex()).isExecutable()) {
                int f = graph.functionAt(s.value());
                described = f >= 0 && graph.describesAllCalls(f);
            }
        }
        this.allDescribed = described;
        this.openWorld = !addressesInWords && (graph.indirectCount() > 0 || !allDescribed);
    }

    /** Whether every function of the image describes all its calls. */
    public boolean allCodeDescribed() {
        return allDescribed;
    }

    /**
     * Whether a recorded pair of frames agrees with the call graph: the call returning to {@code outer} is a call
     * site of the ELF, and where it names its callee, that is the function holding {@code inner} (-1: no inner
     * frame). A capture of another build mostly fails this; so does a tail call in between, which completion must not
     * cross either.
     */
    public boolean agrees(long outer, long inner) {
        int site = graph.siteAt(outer);
        if (site < 0) {
            return false;
        }
        int callee = graph.callee(site);
        return inner == -1 || callee < 0 || callee == function(inner);
    }

    /** The call graph's function whose code holds the call returning to {@code returnAddress}, or -1. */
    public int function(long returnAddress) {
        return graph.functionAt(FrameTable.callInstruction(returnAddress));
    }

    /** The callers of the function whose code holds the call returning to {@code returnAddress}. */
    public Answer of(long returnAddress) {
        int f = graph.functionAt(FrameTable.callInstruction(returnAddress));
        if (f < 0) {
            return new Unknown("no debug information describes the function");
        }
        int[] sites = graph.callers(f);
        for (int s : sites) {
            if (graph.tailCall(s)) {
                return new Unknown("tail-called");
            }
        }
        if (graph.calledAmbiguously(f)) {
            return new Unknown("called through a DIE its clones share");
        }
        if (addressesInWords ? undescribedTargets().contains(graph.entry(f))
                : graph.external(f) ? !allDescribed : !unitDescribed[graph.unit(f)]) {
            return new Unknown("code that does not describe its calls could call it");
        }
        if (openWorld) {
            return new Unknown("the program calls through pointers this machine's code can build unseen");
        }
        if (addressTaken(graph.entry(f))) {
            return new Unknown("its address is taken");
        }
        if (sites.length == 0) {
            return new Unknown("no call site calls it");
        }
        if (sites.length > MAX_CANDIDATES) {
            return new Unknown(sites.length + " call sites call it");
        }
        long[] at = new long[sites.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = graph.returnAddress(sites[i]);
        }
        return at.length == 1 ? new Certain(at[0]) : new Candidates(at);
    }

    private boolean addressTaken(long entry) {
        return graph.passedAsArgument(entry) || Arrays.binarySearch(words(), entry) >= 0;
    }

    /**
     * The targets of every byte sequence in code without call-site entries that decodes as an Xtensa CALLn or J:
     * a superset of the direct calls and jumps there, whatever the instruction boundaries are.
     */
    private Set<Long> undescribedTargets() {
        if (undescribedTargets == null) {
            Set<Long> out = new HashSet<>();
            for (ElfSection s : elf.sections()) {
                if (!s.isAllocated() || !s.isExecutable() || s.type() == ElfSection.SHT_NOBITS) {
                    continue;
                }
                ByteBuffer b = elf.contents(s);
                for (int i = 0; i + 3 <= b.limit(); i++) {
                    int op = b.get(i) & 0xff;
                    boolean call = (op & 0xf) == 5;
                    boolean jump = (op & 0x3f) == 6;
                    if (!call && !jump) {
                        continue;
                    }
                    long at = s.address() + i;
                    int f = graph.functionAt(at);
                    if (f >= 0 && graph.describesAllCalls(f)) {
                        continue;
                    }
                    int insn = op | (b.get(i + 1) & 0xff) << 8 | (b.get(i + 2) & 0xff) << 16;
                    long offset = (long) (insn << 8 >> 14); // bits 6..23, sign-extended
                    out.add(call ? (at & ~3L) + (offset << 2) + 4 : at + 4 + offset);
                }
            }
            undescribedTargets = out;
        }
        return undescribedTargets;
    }

    private long[] words() {
        if (words == null) {
            List<long[]> parts = new ArrayList<>();
            int n = 0;
            for (ElfSection s : elf.sections()) {
                if (s.isAllocated() && s.type() != ElfSection.SHT_NOBITS && s.size() >= 4) {
                    ByteBuffer b = elf.contents(s).duplicate().order(elf.byteOrder() == null ? ByteOrder.LITTLE_ENDIAN
                            : elf.byteOrder());
                    int skip = (int) (-s.address() & 3); // words aligned in the target's address space
                    long[] w = new long[Math.max(0, (b.limit() - skip) / 4)];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = b.getInt(skip + 4 * i) & 0xffffffffL;
                    }
                    parts.add(w);
                    n += w.length;
                }
            }
            long[] all = new long[n];
            int at = 0;
            for (long[] w : parts) {
                System.arraycopy(w, 0, all, at, w.length);
                at += w.length;
            }
            Arrays.sort(all);
            words = all;
        }
        return words;
    }
}
