package heapscope.source;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control-line calls of idf.py monitor's open and reset, in order (esp-idf-monitor's serial_reader.open_serial
 * and reset.hard; each RTS change is followed by DTR set again to its state). A pty has no control lines, so the
 * calls are checked here, on a recording port; what the board does with them only a real adapter shows.
 */
class EspResetTest {
    private final List<String> calls = new ArrayList<>();
    private boolean linesWork = true;

    private EspReset reset() {
        return new EspReset(new EspReset.Lines() {
            @Override
            public boolean dtr(boolean asserted) {
                calls.add("DTR " + (asserted ? "on" : "off"));
                return linesWork;
            }

            @Override
            public boolean rts(boolean asserted) {
                calls.add("RTS " + (asserted ? "on" : "off"));
                return linesWork;
            }
        }, ms -> calls.add("wait " + ms + " ms"));
    }

    @Test
    void openWithResetHoldsEnLowFor5msWithDtrReleased() throws InterruptedException {
        EspReset r = reset();
        assertThat(r.beforeOpen()).isTrue();
        assertThat(calls).containsExactly("RTS on", "DTR on", "DTR on");
        calls.clear();
        assertThat(r.afterOpen(true)).isTrue();
        assertThat(calls).containsExactly(
                "RTS off", "DTR on", "DTR off", // released, RTS first: DTR alone asserted would pull EN low
                "RTS on", "DTR off", "wait 5 ms", "RTS off", "DTR off"); // the hard reset
    }

    @Test
    void aLaterResetKeepsDtrReleased() throws InterruptedException {
        // Ctrl-T Ctrl-R after the open: with DTR asserted too, the auto-reset circuit would keep EN high
        EspReset r = reset();
        r.beforeOpen();
        r.afterOpen(false);
        calls.clear();
        assertThat(r.hard()).isTrue();
        assertThat(calls).containsExactly("RTS on", "DTR off", "wait 5 ms", "RTS off", "DTR off");
    }

    @Test
    void openWithoutResetOnlyReleasesTheLines() throws InterruptedException {
        EspReset r = reset();
        r.beforeOpen();
        calls.clear();
        assertThat(r.afterOpen(false)).isTrue();
        assertThat(calls).containsExactly("RTS off", "DTR on", "DTR off");
    }

    @Test
    void aPortWithoutControlLinesSaysSo() throws InterruptedException {
        linesWork = false;
        assertThat(reset().hard()).isFalse();
        assertThat(calls).as("the whole sequence is still tried").containsExactly("RTS on", "DTR on", "wait 5 ms", "RTS off", "DTR on");
    }
}
