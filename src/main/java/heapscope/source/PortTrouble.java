package heapscope.source;

import com.fazecast.jSerialComm.SerialPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.List;

/**
 * Why a serial port could not be opened, in words a user can act on: it is missing, someone may not open it, or
 * another program has it. Decided from the device node and from the error jSerialComm reports (the errno of
 * open(2) or flock(2) on Linux and macOS, GetLastError on Windows).
 */
final class PortTrouble {
    /** What is known about the port after a failed open. */
    record Facts(boolean windows, boolean exists, boolean accessible, String group, int error, List<String> present) {
    }

    private static final int ENOENT = 2; // also Windows' ERROR_FILE_NOT_FOUND; jSerialComm's "already open here"
    private static final int WINDOWS_ACCESS_DENIED = 5; // a COM port another program has open
    private static final int EAGAIN = 11; // flock(2) on a port another program holds, Linux
    private static final int EACCES = 13;
    private static final int EBUSY = 16; // open(2) of a port another program set exclusive (TIOCEXCL)
    private static final int EWOULDBLOCK_MACOS = 35;

    private PortTrouble() {
    }

    /** The facts about DEVICE, whose open failed with ERROR (0 when it failed before opening). */
    static Facts of(String device, int error) {
        boolean windows = device.matches("(?i)(\\\\\\\\\\.\\\\)?COM\\d+");
        Path node = Path.of(device);
        boolean exists = windows ? error != ENOENT : Files.exists(node);
        boolean accessible = windows || (Files.isReadable(node) && Files.isWritable(node));
        String group = null;
        if (!windows && exists) {
            try { // of the node itself, not of a /dev/serial/by-id link to it
                group = Files.readAttributes(node, PosixFileAttributes.class).group().getName();
            } catch (IOException | UnsupportedOperationException e) {
                group = null; // not a POSIX file system: no group to name
            }
        }
        return new Facts(windows, exists, accessible, group, error, present());
    }

    /** One line: what is wrong and what to do. */
    static String explain(String device, Facts f) {
        if (!f.exists()) {
            return device + ": no such serial port (is the board connected?"
                    + (f.present().isEmpty() ? " no serial port is present)" : " ports present: " + String.join(", ", f.present()) + ")");
        }
        if (!f.windows() && (f.error() == EACCES || !f.accessible())) {
            String group = f.group() == null ? "dialout" : f.group();
            return device + ": permission denied (the port belongs to group '" + group + "': add yourself with "
                    + "'sudo usermod -a -G " + group + " $USER', then log out and in again)";
        }
        if (f.error() == EBUSY || f.error() == EAGAIN || f.error() == EWOULDBLOCK_MACOS || f.error() == ENOENT
                || (f.windows() && f.error() == WINDOWS_ACCESS_DENIED)) {
            return device + ": busy: another program has the port open (idf.py monitor, screen, minicom, an IDE's serial "
                    + "monitor?); close it and try again";
        }
        return device + ": cannot open the serial port" + (f.error() == 0 ? "" : " (error " + f.error() + ")");
    }

    /** The serial ports the system lists, at most a few. */
    private static List<String> present() {
        try {
            return Arrays.stream(SerialPort.getCommPorts()).map(SerialPort::getSystemPortPath).limit(6).toList();
        } catch (RuntimeException | LinkageError unavailable) { // no native library for this platform
            return List.of();
        }
    }
}
