package heapscope.bench;

import heapscope.analysis.LeakAnalysis;
import heapscope.capture.Captures;
import heapscope.monitor.MonitorSession;
import heapscope.source.InputSpec;
import heapscope.source.SerialStream;
import heapscope.sysview.SvWriter;
import heapscope.trace.Alloc;
import heapscope.trace.HeapEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * heapscope capture's live path on a virtual serial port: a raw SystemView stream of heap events (as ESP-IDF v6
 * firmware sends over UART or USB-Serial-JTAG) is written into one end of a socat pty pair in 64-byte packets, paced
 * at a baud rate or as fast as the pty takes it, and read at the other through the capture's decoding and live
 * analysis ({@link MonitorSession}); per event, the time from the write of its last byte to the analysis taking it.
 * In the same run, the same stream read from the pty with nothing done to it is the floor.
 */
public final class CaptureBench {
    /**
     * One way of reading the stream: events that arrived, their latencies (ms, sorted), and the bytes per second up to
     * the event at 99 % of the stream (the last packets before a stream falls silent wait for the framing's verdict).
     */
    public record Pass(int events, int arrived, long bytes, long received, double[] latencyMs, double bytesPerSecond) {
    }

    public record Result(Pass floor, Pass capture) {
    }

    private static final int PACKET = 64;
    private static final int DEPTH = 8;

    private final Path dir;
    /** Baud rate the stream is paced at, 0 for as fast as the pty takes it. */
    private final int baud;
    private final int events;
    private final byte[] stream;
    /** Where each event's packet ends in the stream. */
    private final int[] ends;

    public CaptureBench(Path dir, int baud, int events) throws IOException {
        this.dir = dir;
        this.baud = baud;
        this.events = events;
        this.ends = new int[events];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SvWriter w = SvWriter.raw(out, 0, Integer.MAX_VALUE);
        w.start();
        w.traceStart(0, 0);
        w.init(0, 40_000_000, 160_000_000, 0x3F400000L, 0, 10);
        long[] callers = new long[DEPTH];
        for (int i = 0; i < events; i++) {
            for (int d = 0; d < DEPTH; d++) {
                callers[d] = 0x400D0000L + 0x40L * ((i + d) % 512);
            }
            int block = i / 2; // each block allocated, then freed
            if (i % 2 == 0) {
                w.heapAlloc(0, 512, address(block), 16 + block % 200, callers, DEPTH, DEPTH, 40);
            } else {
                w.heapFree(0, 512, address(block), callers, DEPTH, DEPTH, 40);
            }
            ends[i] = out.size();
        }
        this.stream = out.toByteArray();
    }

    private static long address(int block) {
        return 0x3FFB0000L + 16L * block;
    }

    public Result run() throws Exception {
        return new Result(measure(false), measure(true));
    }

    public int streamBytes() {
        return stream.length;
    }

    private Pass measure(boolean throughCapture) throws Exception {
        try (SocatPty pty = SocatPty.in(dir, String.valueOf(throughCapture))) {
            Path device = pty.device();
            Path host = pty.host();
            long[] sent = new long[events];
            AtomicLongArray arrived = new AtomicLongArray(events);
            AtomicLong received = new AtomicLong();
            InputStream in = new SerialStream(host.toString(), Math.max(baud, 115200), false, 0, notice -> { });
            Thread receiver;
            if (throughCapture) {
                MonitorSession session = new MonitorSession(null, false, null, null, () -> new LeakAnalysis(null),
                        Captures.liveRawSystemView(InputSpec.parse(host.toString()), Captures.monitor(false)));
                session.watch(e -> {
                    if (e instanceof HeapEvent h) {
                        int block = (int) ((h.address() - 0x3FFB0000L) / 16);
                        arrived.compareAndSet(2 * block + (h instanceof Alloc ? 0 : 1), 0, System.nanoTime());
                    }
                });
                receiver = new Thread(() -> {
                    try {
                        session.run(new InputStream() {
                            @Override
                            public int read() throws IOException {
                                throw new IOException("not used");
                            }

                            @Override
                            public int read(byte[] b, int off, int len) throws IOException {
                                int n = in.read(b, off, len);
                                if (n > 0) {
                                    received.addAndGet(n);
                                }
                                return n;
                            }
                        });
                    } catch (IOException ignored) {
                        // the pty closed
                    }
                });
            } else {
                receiver = new Thread(() -> {
                    byte[] buf = new byte[4096];
                    int next = 0;
                    try {
                        for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                            long total = received.addAndGet(n);
                            long now = System.nanoTime();
                            while (next < events && ends[next] <= total) {
                                arrived.set(next++, now);
                            }
                        }
                    } catch (IOException ignored) {
                        // the pty closed
                    }
                });
            }
            receiver.setDaemon(true);
            receiver.start();
            Thread.sleep(500);
            double bytesPerNs = baud / 10.0 / 1e9; // 8N1: ten bits a byte
            long start;
            try (OutputStream out = Files.newOutputStream(device)) {
                start = System.nanoTime();
                int event = 0;
                for (int at = 0; at < stream.length; at += PACKET) {
                    int n = Math.min(PACKET, stream.length - at);
                    if (baud > 0) {
                        long due = start + (long) ((at + n) / bytesPerNs);
                        while (System.nanoTime() < due) {
                            Thread.onSpinWait();
                        }
                    }
                    out.write(stream, at, n);
                    out.flush();
                    long now = System.nanoTime();
                    while (event < events && ends[event] <= at + n) {
                        sent[event++] = now;
                    }
                }
            }
            Thread.sleep(1500);
            in.close();
            receiver.join(5000);
            double[] ms = new double[events];
            int got = 0;
            for (int i = 0; i < events; i++) {
                long at = arrived.get(i);
                if (at != 0) {
                    ms[got++] = Math.max(0, at - sent[i]) / 1e6;
                }
            }
            double[] sorted = Arrays.copyOf(ms, got);
            Arrays.sort(sorted);
            int k = (events - 1) * 99 / 100;
            double seconds = (arrived.get(k) - start) / 1e9;
            return new Pass(events, got, stream.length, received.get(), sorted, arrived.get(k) != 0 && seconds > 0 ? ends[k] / seconds : 0);
        }
    }
}
