package heapscope.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A port that cannot be opened is explained: missing, not permitted (with the group to join), or busy. */
class PortTroubleTest {
    private static final String TTY = "/dev/ttyUSB0";

    private static String explain(boolean windows, boolean exists, boolean accessible, String group, int error, List<String> present) {
        return PortTrouble.explain(windows ? "COM3" : TTY, new PortTrouble.Facts(windows, exists, accessible, group, error, present));
    }

    @Test
    void aMissingPortNamesThePortsThatArePresent() {
        assertThat(explain(false, false, false, null, 0, List.of()))
                .isEqualTo("/dev/ttyUSB0: no such serial port (is the board connected? no serial port is present)");
        assertThat(explain(false, false, false, null, 2, List.of("/dev/ttyACM0", "/dev/ttyUSB1")))
                .isEqualTo("/dev/ttyUSB0: no such serial port (is the board connected? ports present: /dev/ttyACM0, /dev/ttyUSB1)");
        assertThat(explain(true, false, true, null, 2, List.of())).startsWith("COM3: no such serial port");
    }

    /**
     * Linux distributions give serial ports to a group (dialout on Debian and Ubuntu, uucp on Arch): name it. The
     * tests run as root, who may open any node, so the denial itself is given here as facts.
     */
    @Test
    void aPortOfAGroupTheUserIsNotInSaysWhichGroupToJoin() {
        assertThat(explain(false, true, false, "dialout", 13, List.of())).isEqualTo("/dev/ttyUSB0: permission denied (the port "
                + "belongs to group 'dialout': add yourself with 'sudo usermod -a -G dialout $USER', then log out and in again)");
        assertThat(explain(false, true, false, "uucp", 0, List.of())).contains("group 'uucp'").contains("usermod -a -G uucp $USER");
        assertThat(explain(false, true, true, null, 13, List.of())).contains("permission denied").contains("'dialout'");
    }

    @Test
    void aPortAnotherProgramHoldsIsBusy() {
        for (int error : new int[] {16, 11, 35, 2}) { // EBUSY, EAGAIN (flock), EWOULDBLOCK on macOS, already open here
            assertThat(explain(false, true, true, "dialout", error, List.of())).as("error " + error)
                    .startsWith("/dev/ttyUSB0: busy: another program has the port open");
        }
        assertThat(explain(true, true, true, null, 5, List.of())).startsWith("COM3: busy:");
        assertThat(explain(false, true, true, "dialout", 5, List.of())).isEqualTo("/dev/ttyUSB0: cannot open the serial port (error 5)");
    }

    @Test
    void theFactsComeFromTheDeviceNode(@TempDir Path dir) {
        PortTrouble.Facts missing = PortTrouble.of(dir.resolve("ttyUSB9").toString(), 0);
        assertThat(missing.exists()).isFalse();
        PortTrouble.Facts there = PortTrouble.of(dir.toString(), 16);
        assertThat(there.exists()).isTrue();
        assertThat(there.group()).isNotBlank();
        assertThat(there.windows()).isFalse();
        assertThat(PortTrouble.of("COM7", 2).windows()).isTrue();
        assertThat(PortTrouble.of("COM7", 2).exists()).isFalse();
    }
}
