package heapscope.report;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.symbols.Frame;
import heapscope.symbols.SymbolHit;
import heapscope.symbols.Symbolizer;
import heapscope.trace.StackTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Frames as idf.py monitor prints them: {@code 0x400d3caf: app_main at /src/main/app.c:52}, then one
 * {@code (inlined by) caller at file:line} line per inlined level; the ELF symbol and offset when there is no
 * debug information; and where the address is not in the ELF at all (ROM, RAM) it says so instead of naming a
 * wrong function.
 */
public final class SymbolicFrames implements FrameRenderer {
    private final Symbolizer symbolizer;
    private final Chip chip;
    private final Map<Long, List<String>> returns = new HashMap<>();
    private final Map<Long, List<String>> pcs = new HashMap<>();

    public SymbolicFrames(Symbolizer symbolizer, Chip chip) {
        this.symbolizer = symbolizer;
        this.chip = chip;
    }

    /** Return addresses point after the call: the call instruction is at {@code address - 1}. */
    @Override
    public List<String> lines(long address) {
        if (address == StackTable.FULL_FRAME) {
            return FULL_STACK;
        }
        return returns.computeIfAbsent(address, a -> render(a, a - 1));
    }

    @Override
    public List<String> pcLines(long pc) {
        return pcs.computeIfAbsent(pc, a -> render(a, a));
    }

    private List<String> render(long shown, long looked) {
        String head = Units.hex(shown) + ": ";
        if (!symbolizer.containsAddress(looked)) {
            Region region = chip == null ? Region.UNKNOWN : chip.codeRegion(looked);
            return List.of(head + "?? (" + (region == Region.UNKNOWN ? "" : region.label() + ", ") + "not in the ELF)");
        }
        List<Frame> frames = symbolizer.lookup(looked);
        if (frames.isEmpty()) {
            return List.of(head + "??");
        }
        List<String> out = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            out.add((i == 0 ? head : "  (inlined by) ") + describe(frames.get(i), looked, i == 0));
        }
        return out;
    }

    private String describe(Frame f, long address, boolean innermost) {
        String name = f.function() == null ? "??" : f.function();
        if (f.file() != null) {
            return name + " at " + f.file() + ":" + f.line();
        }
        Optional<SymbolHit> hit = innermost ? symbolizer.symbol(address) : Optional.empty();
        return hit.map(h -> name + "+0x" + Long.toHexString(h.offset())).orElse(name);
    }
}
