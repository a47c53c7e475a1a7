package heapscope.export;

import heapscope.report.FrameRenderer;
import heapscope.symbols.Frame;
import heapscope.trace.StackTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The call stacks of a capture as the exports show them: each caller address as its chain of source frames
 * (inline frames first, as the ELF's debug information gives them), or as its address when there is no ELF or
 * the address is outside it. Each address is looked up once, however many stacks share it.
 */
public final class StackFrames {
    private final StackTable stacks;
    private final LongFunction<List<Frame>> lookup;
    private final Map<Long, List<Frame>> cache = new HashMap<>();

    /**
     * @param lookup frames of a return address, innermost first (e.g. {@code Symbolizer::lookupReturnAddress});
     *               null without an ELF
     */
    public StackFrames(StackTable stacks, LongFunction<List<Frame>> lookup) {
        this.stacks = stacks;
        this.lookup = lookup;
    }

    public StackTable stacks() {
        return stacks;
    }

    /**
     * Source frames of a caller address, innermost first; empty when unknown. The frame of a stack that counts many
     * (the stack table full, the smallest leak groups folded) is one frame saying so, never an address.
     */
    public List<Frame> frames(long returnAddress) {
        List<String> special = FrameRenderer.special(returnAddress);
        if (special != null) {
            return List.of(new Frame(special.get(0), null, 0, 0, false));
        }
        if (lookup == null) {
            return List.of();
        }
        return cache.computeIfAbsent(returnAddress, a -> List.copyOf(lookup.apply(a)));
    }

    /**
     * Every frame of a stack, outermost (root) first: what flame graphs draw from the bottom up. Frames inferred from
     * the call graph, not recorded, are named with a leading {@code ~}, so they never merge with recorded ones.
     */
    public List<Named> rootFirst(int stack) {
        List<Named> out = new ArrayList<>();
        int recorded = stacks.depth(stack) - stacks.inferred(stack);
        for (int k = stacks.depth(stack) - 1; k >= 0; k--) {
            long address = stacks.frame(stack, k);
            String mark = k < recorded ? "" : "~";
            List<Frame> frames = frames(address);
            if (frames.isEmpty()) {
                out.add(new Named(mark + hex(address), null, 0));
            }
            for (int i = frames.size() - 1; i >= 0; i--) {
                Frame f = frames.get(i);
                out.add(new Named(mark + (f.function() == null ? "?? " + hex(address) : f.function()), f.file(), f.line()));
            }
        }
        return out;
    }

    /** A frame as a flame graph names it: function (or address), and where it is when known. */
    public record Named(String name, String file, int line) {
    }

    static String hex(long address) {
        return String.format("0x%08x", address);
    }
}
