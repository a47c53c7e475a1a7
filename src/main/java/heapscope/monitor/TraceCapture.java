package heapscope.monitor;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.report.Units;
import heapscope.source.DeviceLink;
import heapscope.source.InputException;
import heapscope.trace.Condition;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A raw SystemView trace taken from a device over UART or USB-Serial-JTAG, as ESP-IDF's firmware expects it: input
 * already waiting is discarded, the start command ({@code 0x01}) sent, and the stream saved ({@link TraceFile}) and
 * analysed live ({@link MonitorSession}) as it comes; on {@link #stop} the stop command ({@code 0x02}) is sent and the
 * stream read until the device has been silent for the idle time, then cut after its last TRACE_STOP.
 */
public final class TraceCapture {
    /** SEGGER SystemView's host commands, one byte each ({@code SEGGER_SYSVIEW.c}). */
    static final byte[] START = {0x01};
    static final byte[] STOP = {0x02};
    /** How long a device that ignores the stop command may go on sending after it. */
    private static final long MAX_DRAIN_MS = 10_000;

    private final DeviceLink link;
    private final TraceFile file;
    private final MonitorSession session;
    private final long idleMs;
    private final StoppableInput input;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile long lastByteNs = System.nanoTime();
    private volatile long firstByteNs;
    private volatile TraceFile.Kept kept;

    /** @param idleMs silence after the stop command that ends the capture */
    public TraceCapture(DeviceLink link, TraceFile file, MonitorSession session, long idleMs) {
        this.link = link;
        this.file = file;
        this.session = session;
        this.idleMs = idleMs;
        this.input = new StoppableInput(link.in());
    }

    /** Records until {@link #stop} (or the device goes away) and returns the report of everything received. */
    public LeakReport run() throws IOException {
        discardWaiting();
        if (!link.send(START)) {
            throw new InputException(link.name() + ": cannot send the start command");
        }
        LeakReport report = null;
        try {
            report = session.run(new FilterInputStream(input) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        long now = System.nanoTime();
                        if (file.received() == 0) {
                            firstByteNs = now;
                        }
                        lastByteNs = now;
                        file.write(b, off, n);
                    }
                    return n;
                }
            });
        } finally {
            stop(); // the device went away, or the session failed: tell it to stop anyway
            kept = file.finish(report == null ? -1 : report.recording().heapEvents());
        }
        return report;
    }

    /** Bytes sitting in the port from before (a boot banner, a previous run's trace) are not this capture's. */
    private void discardWaiting() throws IOException {
        InputStream in = link.in();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int n = in.available(); n > 0; n = in.available()) {
            in.readNBytes(n);
        }
    }

    /**
     * Sends the stop command (once; from any thread) and ends the capture when the device has been silent for the
     * idle time after it.
     */
    public void stop() {
        if (stopping.getAndSet(true)) {
            return;
        }
        long sent = System.nanoTime();
        link.send(STOP); // false when the link is gone: then the input has ended already
        Thread drain = new Thread(() -> {
            try {
                while (true) {
                    long now = System.nanoTime();
                    long quiet = now - Math.max(lastByteNs, sent);
                    if (quiet >= idleMs * 1_000_000L || now - sent >= (MAX_DRAIN_MS + idleMs) * 1_000_000L) {
                        break;
                    }
                    Thread.sleep(Math.max(10, Math.min(100, idleMs / 4)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            input.stop();
        }, "heapscope-capture-drain");
        drain.setDaemon(true);
        drain.start();
    }

    /** Ends the capture at once, without waiting for the device to go quiet (a second Ctrl-C). */
    public void stopNow() {
        stop();
        input.stop();
    }

    /** What the file kept, once the capture ended (null before). */
    public TraceFile.Kept kept() {
        return kept;
    }

    /** The capture's own figures for the live line: bytes, events, rate, losses. */
    public String progress() {
        long bytes = file.received();
        LeakAnalysis.Status s = session.status();
        double seconds = (lastByteNs - firstByteNs) / 1e9;
        String rate = bytes == 0 || seconds <= 0 ? "" : ", " + Units.bytes((long) (bytes / seconds)) + "/s";
        return Units.bytes(bytes) + " received, " + Units.count(s == null ? 0 : s.events()) + " events" + rate + ", "
                + losses(session.losses());
    }

    /** What the capture lost so far, in a few words. */
    static String losses(Set<Condition.Kind> kinds) {
        if (kinds.isEmpty()) {
            return "no losses";
        }
        return "lost: " + String.join(", ", kinds.stream().sorted().map(k -> switch (k) {
            case LOST_BYTES -> "bytes in transit";
            case DROPPED_EVENTS -> "events the device dropped";
            default -> k.id().replace('_', ' ');
        }).toList()).toLowerCase(Locale.ROOT);
    }
}
