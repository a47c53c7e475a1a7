package heapscope.analysis;

import heapscope.symbols.Symbolizer;
import heapscope.trace.EventReader;
import heapscope.trace.StackRewrite;

/**
 * What happens to recorded call stacks before any analysis sees them.
 *
 * @param depth    cut every stack to its innermost DEPTH frames, as a capture recorded with
 *                 CONFIG_HEAP_TRACING_STACK_DEPTH = DEPTH would have them; -1 keeps them as recorded
 * @param complete extend stacks outward from the ELF's call graph where the callers are certain (marked inferred)
 */
public record StackOptions(int depth, boolean complete) {
    /** As recorded, completed where an ELF is given. */
    public static final StackOptions DEFAULT = new StackOptions(-1, true);

    public StackOptions {
        if (depth < -1) {
            throw new IllegalArgumentException("stack depth " + depth);
        }
    }

    /** IN with its stacks cut and completed as asked; completion needs the ELF ({@code symbolizer}, or null). */
    public EventReader apply(EventReader in, Symbolizer symbolizer) {
        EventReader out = depth < 0 ? in : StackRewrite.cut(in, depth);
        return complete && symbolizer != null ? StackCompletion.of(out, symbolizer.callers()) : out;
    }
}
