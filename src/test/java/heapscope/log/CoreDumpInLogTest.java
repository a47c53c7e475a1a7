package heapscope.log;

import heapscope.Fixtures;
import heapscope.trace.Crash;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A core dump printed to the console, among the rest of a serial log, becomes a crash with the crashed task's stack. */
class CoreDumpInLogTest {
    private static String log(String dump, String prefix) throws IOException {
        StringBuilder b = new StringBuilder("I (312) cpu_start: Starting scheduler.\n");
        b.append("I (400) heap: free 1234 bytes\n");
        b.append(prefix).append("================= CORE DUMP START =================\n");
        for (String l : Files.readAllLines(Fixtures.corpus("esp-coredump/" + dump))) {
            b.append(prefix).append(l).append('\n');
        }
        b.append(prefix).append("================= CORE DUMP END =================\n");
        b.append("Rebooting...\n");
        return b.toString();
    }

    @Test
    void anXtensaDumpGivesTheTaskThePanicReasonAndTheWholeStack() throws IOException {
        Decoded d = Decoded.of(log("esp32_coredump.b64", "> "));
        Crash c = d.crashes().stream().filter(x -> x.reason().startsWith("core dump")).findFirst().orElseThrow();
        assertThat(c.reason()).isEqualTo("core dump: abort() was called at PC 0x400d66b9 on core 0; task 'main' (TCB 0x3ffafba0)");
        assertThat(c.line()).isEqualTo(3);
        // the frames espcoredump (GDB) prints for the crashed task, callers 3 bytes back at their call instruction
        assertThat(c.backtrace()).containsExactly(0x4008110dL, 0x4008510cL - 3, 0x4008a6f0L - 3, 0x400d66bcL - 3,
                0x40007c78L - 3, 0x4000814bL - 3, 0x400d66d4L - 3, 0x400e40a3L - 3, 0x40085910L - 3);
        assertThat(c.truncated()).isFalse();
        assertThat(d.recording().warnings()).isEmpty();
    }

    @Test
    void aRiscvDumpGivesPcAndRaWithoutAnElf() throws IOException {
        Decoded d = Decoded.of(log("esp32c3_coredump.b64", "[10:00:00.123] "));
        List<Crash> dumps = d.crashes().stream().filter(x -> x.reason().startsWith("core dump")).toList();
        assertThat(dumps).singleElement().satisfies(c -> {
            assertThat(c.reason()).contains("abort() was called at PC 0x42009351 on core 0", "task 'main' (TCB 0x3fc8ec30)");
            assertThat(c.backtrace()).containsExactly(0x40380698L, 0x4038368eL - 1);
            assertThat(c.truncated()).isTrue();
        });
    }

    @Test
    void aCutDumpIsAWarningNotALostLog() throws IOException {
        String full = log("esp32_coredump.b64", "");
        String cut = full.substring(0, full.indexOf("CORE DUMP START") + 2000);
        Decoded d = Decoded.of(cut + "\nI (9) after: still read\n");
        assertThat(d.recording().warnings()).anyMatch(w -> w.format().contains("log ends inside this core dump"));
    }
}
