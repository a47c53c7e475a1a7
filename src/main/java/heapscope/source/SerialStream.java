package heapscope.source;

import com.fazecast.jSerialComm.SerialPort;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * A serial port read as a stream that survives the device going away: when the port disappears (a USB adapter
 * unplugged, a board resetting its USB-serial bridge) it closes it, says so, and reopens the same port when it
 * returns, for up to {@code reconnectMs}; only then does the stream end. The port is opened as idf.py monitor
 * opens it ({@link EspReset}): the board is reset on the first open when asked, never on a reopen, where the
 * device reset itself. Keys typed go to the device through {@link #write}.
 */
public final class SerialStream extends InputStream {
    private static final int POLL_MS = 200;

    private final String device;
    private final int baud;
    private final long reconnectMs;
    private final Consumer<String> notices;
    private volatile SerialPort port;
    /** The open port's control lines, which remember DTR's state for a later reset. */
    private volatile EspReset lines;
    private volatile boolean ended;
    /** jSerialComm's error code of the last failed open, 0 when it failed before opening. */
    private int lastError;
    /** Whether the port's control lines took the last sequence; false on a pty, which has none. */
    private boolean linesWork;

    /** @param reset resets the board through DTR/RTS once the port is open, as idf.py monitor does (--no-reset: false) */
    public SerialStream(String device, int baud, boolean reset, long reconnectMs, Consumer<String> notices) {
        this.device = device;
        this.baud = baud;
        this.reconnectMs = reconnectMs;
        this.notices = notices;
        if (!open(reset)) {
            throw new InputException(PortTrouble.explain(device, PortTrouble.of(device, lastError)));
        }
        if (reset && !linesWork) {
            notices.accept(device + ": no DTR/RTS control lines (a pty, or an adapter without them): the board was not reset");
        }
    }

    private boolean open(boolean reset) {
        SerialPort p;
        try {
            p = SerialPort.getCommPort(device);
        } catch (RuntimeException gone) { // jSerialComm refuses a path that does not exist (yet)
            lastError = 0;
            return false;
        }
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, POLL_MS, 0);
        EspReset sequence = lines(p);
        sequence.beforeOpen(); // before opening: the state the port opens with
        if (!p.openPort()) {
            lastError = p.getLastErrorCode();
            return false;
        }
        try {
            linesWork = sequence.afterOpen(reset);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lines = sequence;
        port = p;
        return true;
    }

    private static EspReset lines(SerialPort p) {
        return new EspReset(new EspReset.Lines() {
            @Override
            public boolean dtr(boolean asserted) {
                return asserted ? p.setDTR() : p.clearDTR();
            }

            @Override
            public boolean rts(boolean asserted) {
                return asserted ? p.setRTS() : p.clearRTS();
            }
        }, Thread::sleep);
    }

    /**
     * Resets the board (idf.py monitor's Ctrl-T Ctrl-R: EN low for 5 ms through RTS); false when the port is gone
     * or has no control lines.
     */
    public boolean resetBoard() throws InterruptedException {
        EspReset open = lines;
        return port != null && open != null && open.hard();
    }

    /** Sends bytes to the device; false when the port is gone (they are dropped, as a terminal would). */
    public boolean write(byte[] b, int off, int len) {
        SerialPort p = port;
        return p != null && p.writeBytes(b, len, off) == len;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (!ended) {
            if (port == null && !reconnect()) {
                ended = true;
                break;
            }
            int n = port.readBytes(b, Math.min(len, b.length - off), off);
            if (n > 0) {
                return n;
            }
            if (ended) { // closed by another thread (Ctrl-]): not a port gone
                break;
            }
            if (n < 0 || !port.isOpen()) {
                port.closePort();
                port = null;
                notices.accept(device + ": port gone" + (reconnectMs > 0 ? "; waiting up to " + (reconnectMs + 999) / 1000
                        + " s for it to return" : " (--reconnect 0: not waiting for it)"));
            }
        }
        return -1;
    }

    private boolean reconnect() {
        long deadline = System.currentTimeMillis() + reconnectMs;
        while (System.currentTimeMillis() < deadline && !ended) {
            if (open(false)) {
                notices.accept(device + ": port back");
                return true;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Bytes received and not read yet (0 while the port is gone). */
    @Override
    public int available() {
        SerialPort p = port;
        return p == null ? 0 : Math.max(0, p.bytesAvailable());
    }

    @Override
    public void close() {
        ended = true;
        if (port != null) {
            port.closePort();
        }
    }
}
