package heapscope.trace;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordingTest {
    @Test
    void keepsTheLastCoreDumpsOnly() {
        Recording r = new Recording();
        for (long line = 1; line <= Recording.MAX_CORE_DUMPS + 2; line++) {
            r.keepCoreDump(line * 100, new Recording.KeptCoreDump(new byte[] {(byte) line}, null));
        }
        assertEquals(List.of(300L, 400L, 500L, 600L), List.copyOf(r.coreDumps().keySet()));
        assertEquals(6, r.coreDumps().get(600L).bytes()[0]);
    }
}
