package heapscope.bench;

import heapscope.dwarf.CallGraph;
import heapscope.sim.DistinctStacks;
import heapscope.symbols.Callers;
import heapscope.symbols.Symbolizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Distinct call stacks made of an ELF's own return addresses, for measuring completion: every frame follows a call,
 * so the ELF check holds, and each stack's outermost two frames are a pair the call graph agrees with (a site, and
 * a site inside the function it calls), so completion starts on every stack. The frames between tell the stacks
 * apart: block I's are the digits of I in base (number of sites).
 */
public final class ElfStacks implements DistinctStacks.Frames {
    private final long[] returns;
    private final long[][] pairs;

    private ElfStacks(long[] returns, long[][] pairs) {
        this.returns = returns;
        this.pairs = pairs;
    }

    /** Stacks of DEPTH frames from the ELF's call sites, enough for STACKS distinct ones; empty-handed ELFs are refused. */
    public static ElfStacks of(Symbolizer symbolizer, int stacks, int depth) {
        CallGraph graph = symbolizer.callGraph();
        Callers callers = symbolizer.callers();
        int sites = graph.siteCount();
        long[] returns = new long[sites];
        int[] siteIn = new int[graph.functionCount()]; // a site inside each function, -1 for none
        Arrays.fill(siteIn, -1);
        for (int s = 0; s < sites; s++) {
            returns[s] = graph.returnAddress(s);
            if (graph.caller(s) >= 0 && siteIn[graph.caller(s)] < 0) {
                siteIn[graph.caller(s)] = s;
            }
        }
        List<long[]> pairs = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            int callee = graph.callee(s);
            if (callee >= 0 && siteIn[callee] >= 0) {
                long inner = graph.returnAddress(siteIn[callee]);
                if (callers.agrees(returns[s], inner)) {
                    pairs.add(new long[] {inner, returns[s]});
                }
            }
        }
        double distinct = Math.pow(sites, depth - 2);
        if (pairs.isEmpty() || depth < 3 || distinct < stacks) {
            throw new IllegalArgumentException("the ELF has " + sites + " call sites and " + pairs.size() + " caller pairs:"
                    + " too few for " + stacks + " distinct stacks of " + depth + " frames");
        }
        return new ElfStacks(returns, pairs.toArray(long[][]::new));
    }

    /** Caller pairs completion can start from. */
    public int pairs() {
        return pairs.length;
    }

    @Override
    public void fill(int i, long[] callers) {
        int n = callers.length;
        long rest = i;
        for (int k = 0; k < n - 2; k++) {
            callers[k] = returns[(int) (rest % returns.length)];
            rest /= returns.length;
        }
        long[] pair = pairs[i % pairs.length];
        callers[n - 2] = pair[0];
        callers[n - 1] = pair[1];
    }
}
