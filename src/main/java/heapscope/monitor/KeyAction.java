package heapscope.monitor;

import java.util.Arrays;

/** What a key typed in the monitor does: bytes for the device, or one of the monitor's own commands. */
public sealed interface KeyAction {
    /** Bytes to send to the device as typed (line ends translated by --eol). */
    record Send(byte[] bytes) implements KeyAction {
        @Override
        public boolean equals(Object o) {
            return o instanceof Send s && Arrays.equals(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Send" + Arrays.toString(bytes);
        }
    }

    /** A key after Ctrl-T that means nothing to the monitor: said, and not sent. */
    record UnknownMenuKey(int key) implements KeyAction {
    }

    /** The monitor's commands. */
    enum Command implements KeyAction {
        /** Ctrl-], Ctrl-T Ctrl-X: end the session with the report. */
        EXIT,
        /** Ctrl-C: end the session with the report, exit status 130 as for SIGINT. */
        INTERRUPT,
        /** Ctrl-T Ctrl-R: reset the board through RTS. */
        RESET,
        /** Ctrl-T Ctrl-E: the leak report of what came so far; the session goes on. */
        REPORT,
        /** Ctrl-T Ctrl-I: host timestamps before each line, on or off. */
        TOGGLE_TIMESTAMPS,
        /** Ctrl-T Ctrl-H: the keys. */
        HELP
    }
}
