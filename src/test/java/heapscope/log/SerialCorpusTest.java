package heapscope.log;

import heapscope.TestData;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public serial-log excerpts (src/test/resources/corpus/serial-logs/SOURCE.md) decode to what a person reading
 * them counts. Line numbers are the files' own (their two header lines included).
 */
class SerialCorpusTest {
    private static Decoded corpus(String name) {
        return Decoded.file(TestData.resource("corpus/serial-logs/" + name));
    }

    @Test
    void badTailThenHeapAssertThenAbortWith26Frames() {
        Decoded d = corpus("issue-espressif-esp-idf-1582-corrupt_heap_bad_tail_abort.txt");

        assertThat(d.corruptions()).extracting(Corruption::kind, Corruption::address, Corruption::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bad tail", 0x3ffe04d1L, 3L),
                        org.assertj.core.groups.Tuple.tuple("heap assert", 0x3ffe04d8L, 4L));
        assertThat(d.crashes()).hasSize(1);
        Crash c = d.crashes().get(0);
        assertThat(c.reason()).isEqualTo("abort() was called at PC 0x400889bb on core 0");
        assertThat(c.line()).isEqualTo(5);
        assertThat(c.core()).isZero();
        assertThat(c.backtrace()).hasSize(26).startsWith(0x40089108L, 0x400892abL).endsWith(0x400d1112L);
        assertThat(c.truncated()).isFalse();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void badHeadThenAssertWithTheGluedV44Backtrace() {
        Decoded d = corpus("issue-Links2004-arduinoWebSockets-750-corrupt_heap_bad_head.txt");

        assertThat(d.corruptions()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("bad head");
            assertThat(c.address()).isEqualTo(0x3ffeb398L);
            assertThat(c.line()).isEqualTo(3);
        });
        Crash c = d.crashes().get(0);
        assertThat(d.crashes()).hasSize(1);
        assertThat(c.reason()).isEqualTo("assert failed: multi_heap_free multi_heap_poisoning.c:253 (head != NULL)");
        assertThat(c.backtrace()).hasSize(15).startsWith(0x40083e1dL, 0x4008edc5L, 0x40094521L).endsWith(0x4010a415L);
        assertThat(c.truncated()).isFalse();
        assertThat(d.warnings()).isEmpty();
    }
}
