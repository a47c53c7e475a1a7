package heapscope.dwarf;

import heapscope.Fixtures;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call graph against what llvm-dwarfdump shows of the same ELFs. The expected counts were taken with
 * {@code llvm-dwarfdump --debug-info ELF}: DIEs tagged DW_TAG_call_site or DW_TAG_GNU_call_site, those of them with
 * DW_AT_call_origin or DW_AT_abstract_origin, and those whose DW_AT_call_return_pc / DW_AT_low_pc is 0 (calls in
 * code the linker discarded). docs/analysis.md gives the check for the corpus' core-dump ELFs.
 */
class CallGraphTest {
    @Test
    void espIdfElfHasEveryCallSiteDwarfdumpShows() throws IOException {
        CallGraph g = Symbolizer.open(Fixtures.corpus("esp-idf-sysview/sysview_tracing_heap_log.elf")).callGraph();
        assertEquals(6153, g.callSiteEntries());
        assertEquals(6153 - 2736, g.siteCount()); // the 2,736 with a return address of 0 are discarded code
        assertTrue(g.indirectCount() <= 6153 - 5936, "at most the entries without an origin are indirect");
        // return addresses of the recording's stacks, with the callees dwarfdump names for them
        assertEquals("heap_caps_malloc_base", calleeAt(g, 0x40081effL));
        assertEquals("xTaskCreatePinnedToCore", calleeAt(g, 0x400d3ba0L));
        int withAllCalls = 0;
        for (int f = 0; f < g.functionCount(); f++) {
            withAllCalls += g.describesAllCalls(f) ? 1 : 0;
        }
        assertTrue(withAllCalls > g.functionCount() / 2, "most functions say all their calls are described");
    }

    @Test
    void exampleFirmwareCallSitesAreThoseObjdumpListed() throws IOException {
        CallGraph g = Symbolizer.open(Fixtures.example("connection/app.elf")).callGraph();
        assertEquals(28, g.callSiteEntries());
        assertEquals(28, g.siteCount());
        assertEquals(0, g.indirectCount());
        // callsites.txt is objdump's list of the same calls: caller, callee, return address
        Map<Long, String> byReturn = new HashMap<>();
        for (String line : Files.readAllLines(Fixtures.example("connection/callsites.txt"))) {
            String[] f = line.split(" ");
            byReturn.put(Long.decode(f[2]), f[0] + " " + f[1]);
        }
        assertEquals(byReturn.size(), g.siteCount());
        for (int s = 0; s < g.siteCount(); s++) {
            String expected = byReturn.get(g.returnAddress(s));
            assertEquals(expected, g.name(g.caller(s)) + " " + g.calleeName(s), "site " + Long.toHexString(g.returnAddress(s)));
            assertTrue(g.callee(s) >= 0, "every callee of the example is defined with DWARF");
            int site = s;
            assertTrue(Arrays.stream(g.callers(g.callee(s))).anyMatch(x -> x == site), "listed among its callee's callers");
        }
    }

    private static String calleeAt(CallGraph g, long returnAddress) {
        for (int s = 0; s < g.siteCount(); s++) {
            if (g.returnAddress(s) == returnAddress) {
                return g.calleeName(s);
            }
        }
        return null;
    }
}
