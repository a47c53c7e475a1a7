package heapscope.bench;

import heapscope.dwarf.CallGraph;
import heapscope.symbols.Callers;
import heapscope.symbols.Symbolizer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Time to build an ELF's call graph from its DWARF and to answer the first caller question (which scans the image
 * once for address words and undescribed calls), each on a fresh symbolizer, the best of some rounds.
 */
public final class CallGraphBench {
    /** One measurement: sizes, and the best times in milliseconds. */
    public record Result(long elfBytes, int entries, int sites, int functions, double graphMs, double firstAnswerMs) {
    }

    private CallGraphBench() {
    }

    public static Result run(Path elf, int rounds) throws IOException {
        double graph = Double.MAX_VALUE;
        double answer = Double.MAX_VALUE;
        CallGraph g = null;
        for (int r = 0; r < rounds; r++) {
            Symbolizer s = Symbolizer.open(elf);
            long t0 = System.nanoTime();
            g = s.callGraph();
            long t1 = System.nanoTime();
            Callers callers = s.callers();
            callers.of(g.siteCount() > 0 ? g.returnAddress(0) : 0);
            long t2 = System.nanoTime();
            graph = Math.min(graph, (t1 - t0) / 1e6);
            answer = Math.min(answer, (t2 - t1) / 1e6);
        }
        return new Result(elf.toFile().length(), g.callSiteEntries(), g.siteCount(), g.functionCount(), graph, answer);
    }
}
