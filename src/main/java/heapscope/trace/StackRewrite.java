package heapscope.trace;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * A capture whose heap events carry other stacks of the same recording: each stack id is mapped once, by a
 * function that interns the new stack in the recording's {@link StackTable}. Used to cut stacks to a depth and to
 * complete them from the call graph, before any analysis sees them.
 */
public final class StackRewrite implements EventReader {
    private final EventReader in;
    private final IntUnaryOperator map;
    private int[] mapped = new int[64]; // stack id -> new id + 1, 0 = not mapped yet

    public StackRewrite(EventReader in, IntUnaryOperator map) {
        this.in = in;
        this.map = map;
    }

    /** Every stack cut to its innermost DEPTH frames, as a capture with CONFIG_HEAP_TRACING_STACK_DEPTH = DEPTH gives. */
    public static EventReader cut(EventReader in, int depth) {
        StackTable t = in.recording().stacks();
        if (depth == 0) {
            in.recording().noCallersBecause("--stack-depth 0 cut every one");
        }
        return new StackRewrite(in, id -> t.depth(id) <= depth || id == t.full() ? id : t.intern(t.frames(id), depth));
    }

    @Override
    public Event next() throws IOException {
        Event e = in.next();
        if (e instanceof Alloc a) {
            int s = stack(a.stack());
            return a.withStack(s);
        }
        if (e instanceof Free f) {
            int s = stack(f.stack());
            return s == f.stack() ? f : new Free(f.timeNs(), f.core(), f.context(), f.address(), s);
        }
        return e;
    }

    private int stack(int id) {
        if (id >= mapped.length) {
            mapped = Arrays.copyOf(mapped, Math.max(id + 1, mapped.length * 2));
        }
        if (mapped[id] == 0) {
            mapped[id] = map.applyAsInt(id) + 1;
        }
        return mapped[id] - 1;
    }

    @Override
    public Recording recording() {
        return in.recording();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
