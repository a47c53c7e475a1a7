package heapscope.report;

import heapscope.chip.Region;
import heapscope.symbols.Frame;
import heapscope.symbols.FrameTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames as idf.py monitor prints them: {@code 0x400d3caf: app_main at /src/main/app.c:52}, then one
 * {@code (inlined by) caller at file:line} line per inlined level; the ELF symbol and offset when there is no
 * debug information; and where the address is not in the ELF at all (ROM, RAM) it says so instead of naming a
 * wrong function. Without an ELF, the same for what the log named, and an address it did not name as unnamed.
 */
public final class SymbolicFrames implements FrameRenderer {
    private final FrameTable table;
    private final FrameRenderer unnamed;
    private final Map<Long, List<String>> returns = new HashMap<>();
    private final Map<Long, List<String>> pcs = new HashMap<>();

    /** @param unnamed how an address is shown that the log did not name, there being no ELF */
    SymbolicFrames(FrameTable table, FrameRenderer unnamed) {
        this.table = table;
        this.unnamed = unnamed;
    }

    @Override
    public FrameTable.Names names() {
        return table.names();
    }

    @Override
    public List<String> lines(long address) {
        List<String> special = FrameRenderer.special(address);
        if (special != null) {
            return special;
        }
        return returns.computeIfAbsent(address, a -> table.symbolic() || table.caller(a).fromLog() ? render(table.caller(a)) : unnamed.lines(a));
    }

    @Override
    public List<String> pcLines(long pc) {
        return pcs.computeIfAbsent(pc, a -> table.symbolic() || table.pc(a).fromLog() ? render(table.pc(a)) : unnamed.pcLines(a));
    }

    private static List<String> render(FrameTable.Resolved r) {
        String head = Units.hex(r.address()) + ": ";
        if (!r.inElf() && !r.fromLog()) {
            return List.of(head + "?? (" + (r.region() == Region.UNKNOWN ? "" : r.region().label() + ", ") + "not in the ELF)");
        }
        List<Frame> frames = r.frames();
        if (frames.isEmpty()) {
            return List.of(head + "??");
        }
        List<String> out = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            out.add((i == 0 ? head : "  (inlined by) ") + describe(frames.get(i), r, i == 0));
        }
        return out;
    }

    private static String describe(Frame f, FrameTable.Resolved r, boolean innermost) {
        String name = f.function() == null ? "??" : f.function();
        if (f.file() != null) {
            return name + " at " + f.file() + ":" + f.line();
        }
        if (!innermost || r.symbol().isEmpty()) {
            return name;
        }
        return name + "+0x" + Long.toHexString(r.symbol().get().offset()) + (r.object() == null ? "" : " at " + r.object());
    }
}
