package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Free;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Caller lists that repeat, or nearly repeat, a recent one must still be read as printed. */
class RepeatedCallersTest {
    private static final String A = "0x40376183:0x4200012a";

    private static String record(int i, String callers, String tail) {
        return String.format("%6d bytes (@ 0x3fc9%04x, Internal) allocated CPU 0 ccount 0x4fc9a11c caller %s%s%n", 10 + i, i * 16,
                callers, tail);
    }

    @Test
    void listsThatExtendOrCutARecentOneKeepTheirOwnFrames() {
        List<String> lists = List.of(A, A + ":0x4200022a", A, A + ":", A + ":0x0:0x4200022a", "0x40376183", A + "5", A + ":0x4200022a");
        StringBuilder log = new StringBuilder("====== Heap Trace: 8 records (100 capacity) ======\n");
        for (int i = 0; i < lists.size(); i++) {
            log.append(record(i, lists.get(i), i == 6 ? "  " : i == 2 ? " freed" : ""));
        }
        log.append("====== Heap Trace Summary ======\n================================\n");
        Decoded d = Decoded.of(log.toString());

        List<Alloc> allocs = d.all(Alloc.class);
        StackTable stacks = d.recording().stacks();
        List<List<Long>> frames = allocs.stream().map(a -> LongStream.range(0, stacks.depth(a.stack()))
                .map(k -> stacks.frame(a.stack(), (int) k)).boxed().toList()).toList();
        assertThat(frames).containsExactly(
                List.of(0x40376183L, 0x4200012aL),
                List.of(0x40376183L, 0x4200012aL, 0x4200022aL),
                List.of(0x40376183L, 0x4200012aL),
                List.of(0x40376183L, 0x4200012aL),
                List.of(0x40376183L, 0x4200012aL), // a zero slot ends the stack
                List.of(0x40376183L),
                // A + "5" (nine digits: a recent list followed by more of a number) is garbled, not A
                List.of(0x40376183L, 0x4200012aL, 0x4200022aL));
        assertThat(d.recording().warnings()).extracting(w -> w.position() + ": " + w.message())
                .containsExactly("8: garbled heap trace record skipped", "11: heap trace dump from line 1 announces 8 records, 7 were decoded");
        assertThat(d.all(Free.class)).extracting(Free::address).containsExactly(0x3fc90020L);
    }
}
