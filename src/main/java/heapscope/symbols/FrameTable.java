package heapscope.symbols;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.elf.ElfFile;
import heapscope.trace.LogNames;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every code address of a capture resolved once, however many stacks, renderers and exports ask for it: its
 * source frames (inline chain), whether the ELF holds it, the memory region it lies in, and the ELF symbol when
 * no debug information names it. The one cache between the symbolizer and everything that shows frames. Without
 * an ELF it names the addresses the log itself named (idf.py monitor's decoded lines, {@link LogNames}) and
 * knows the regions of all.
 *
 * <p>The one rule for return addresses: an address taken from a call stack points after its call instruction,
 * which may belong to the next line or function, so it is looked up at {@code address - 1}
 * ({@link #callInstruction}); a program counter (a crash's, a register's) is the instruction itself.
 *
 * <p>Safe to share between threads (the monitor decodes lines, names sites in its status line and reports at
 * once): tables over one symbolizer take turns with it.
 */
public final class FrameTable {
    /** Where a table's names come from. */
    public enum Names {
        /** The firmware's ELF. */
        ELF,
        /** The decoded address lines of the log, without an ELF. */
        LOG,
        /** Nothing: addresses only. */
        NONE
    }

    private final Symbolizer symbolizer;
    private final Chip chip;
    private final LogNames logNames;
    private final LinkMap linkMap;
    private final Map<Long, Resolved> callers = new HashMap<>();
    private final Map<Long, Resolved> pcs = new HashMap<>();

    private FrameTable(Symbolizer symbolizer, Chip chip, LogNames logNames, LinkMap linkMap) {
        this.symbolizer = symbolizer;
        this.chip = chip;
        this.logNames = logNames;
        this.linkMap = linkMap;
    }

    /**
     * @param symbolizer the firmware's ELF, or null: addresses only
     * @param chip       the memory map for regions, or null when unknown
     */
    public static FrameTable of(Symbolizer symbolizer, Chip chip) {
        return new FrameTable(symbolizer, chip, new LogNames(), null);
    }

    /**
     * A table that names frames from the ELF, or without one from what the log named.
     *
     * @param logNames the capture's own names of addresses ({@code Recording.logNames()}); the ELF's win
     */
    public static FrameTable of(Symbolizer symbolizer, Chip chip, LogNames logNames) {
        return new FrameTable(symbolizer, chip, logNames, null);
    }

    /**
     * @param linkMap the firmware's link map, or null: names the archive and object of code without debug information
     */
    public static FrameTable of(Symbolizer symbolizer, Chip chip, LogNames logNames, LinkMap linkMap) {
        return new FrameTable(symbolizer, chip, logNames, linkMap);
    }

    /** Where a return address's call instruction is: the one place this rule is stated. */
    public static long callInstruction(long returnAddress) {
        return returnAddress - 1;
    }

    /** Whether there is an ELF to name frames from. */
    public boolean symbolic() {
        return symbolizer != null;
    }

    /** Where the names come from: the ELF when there is one, else the log when it named any address. */
    public Names names() {
        return symbolizer != null ? Names.ELF : logNames.isEmpty() ? Names.NONE : Names.LOG;
    }

    /** The ELF's image, for formats that describe the binary (pprof's mapping); null without one. */
    public ElfFile elf() {
        return symbolizer == null ? null : symbolizer.elf();
    }

    public Chip chip() {
        return chip;
    }

    /** Whether the ELF's image holds the address itself (false without an ELF). */
    public boolean inImage(long address) {
        return symbolizer != null && symbolizer.containsAddress(address);
    }

    /** A return address of a recorded call stack, resolved at its call instruction. */
    public synchronized Resolved caller(long returnAddress) {
        return callers.computeIfAbsent(returnAddress, a -> resolve(a, callInstruction(a)));
    }

    /** A program counter, resolved as it is. */
    public synchronized Resolved pc(long pc) {
        return pcs.computeIfAbsent(pc, a -> resolve(a, a));
    }

    /** Either of the two, as the address was taken. */
    public Resolved resolve(long address, boolean returnAddress) {
        return returnAddress ? caller(address) : pc(address);
    }

    /** Source frames of a return address, innermost first; empty without an ELF or outside it. */
    public List<Frame> callerFrames(long returnAddress) {
        return caller(returnAddress).frames();
    }

    /**
     * Whether the address is an instruction of the firmware: a value that merely points into its data (a register
     * holding a heap pointer) is not. False without an ELF.
     */
    public boolean isCode(long address, boolean returnAddress) {
        return symbolizer != null && symbolizer.containsCode(returnAddress ? callInstruction(address) : address);
    }

    private Resolved resolve(long shown, long looked) {
        Region region = chip == null ? Region.UNKNOWN : chip.codeRegion(looked);
        if (symbolizer == null) {
            List<Frame> named = fromLog(logNames.get(shown));
            return new Resolved(shown, looked, false, region, named, Optional.empty(), null, !named.isEmpty());
        }
        synchronized (symbolizer) { // not thread-safe itself
            List<Frame> frames = symbolizer.lookup(looked);
            boolean inElf = !frames.isEmpty() || symbolizer.containsAddress(looked);
            Optional<SymbolHit> symbol = !frames.isEmpty() && frames.get(0).file() == null ? symbolizer.symbol(looked) : Optional.empty();
            // code without debug information (radio blobs, assembly): where it came from is all there is to say
            String object = symbol.isEmpty() ? null : linkMap != null ? linkMap.object(looked).map(LinkMap::shortName)
                    .orElse(symbol.get().object()) : symbol.get().object();
            return new Resolved(shown, looked, inElf, region, List.copyOf(frames), symbol, object, false);
        }
    }

    /**
     * The frames a decoder printed for the address as the capture shows it: it decoded the printed address itself,
     * not the call instruction before it.
     */
    private static List<Frame> fromLog(List<LogNames.Name> names) {
        List<Frame> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            LogNames.Name n = names.get(i);
            out.add(new Frame(n.function(), n.file(), n.line(), 0, i < names.size() - 1));
        }
        return List.copyOf(out);
    }

    /**
     * One resolved address.
     *
     * @param address the address as the capture gave it
     * @param looked  the instruction looked up ({@link #callInstruction} of a return address)
     * @param inElf   whether the ELF's image holds the instruction (false without an ELF)
     * @param region  where the instruction lies (ROM code is in no firmware ELF), UNKNOWN without a chip
     * @param frames  source frames, innermost first (inline frames before the function they are inlined into)
     * @param symbol  the ELF symbol and offset, when debug information does not name the innermost frame's file
     * @param object  with {@code symbol}: the object file the code came from ({@code coexist_core.o}, and with a link
     *                map its archive: {@code coexist_core.o (libcoexist.a)}), or null when neither says
     * @param fromLog the frames are the log's (idf.py monitor's decoded lines), there being no ELF
     */
    public record Resolved(long address, long looked, boolean inElf, Region region, List<Frame> frames, Optional<SymbolHit> symbol,
                           String object, boolean fromLog) {
        /** The innermost function's name, or null when nothing names it. */
        public String function() {
            return frames.isEmpty() ? null : frames.get(0).function();
        }
    }
}
