package heapscope.bench;

import heapscope.analysis.LeakAnalysis;
import heapscope.capture.Captures;
import heapscope.monitor.AddressAnnotator;
import heapscope.monitor.MonitorSession;
import heapscope.symbols.FrameTable;
import heapscope.source.SerialStream;
import heapscope.symbols.ElfDigest;
import heapscope.symbols.Symbolizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line latency of the monitor on a virtual serial port: lines are written into one end of a socat pty pair at
 * the baud rate's pace, and the time from a line's last byte to its print by the monitor (address decoding
 * included) is measured per line; in the same run, the same traffic read from the pty with nothing done to it
 * is the floor.
 */
public final class MonitorBench {
    public record Result(int lines, double[] monitorMs, double[] floorMs) {
        public static double percentile(double[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
        }
    }

    private static final Pattern SEQ = Pattern.compile("bench: line (\\d+) ");

    private final Path dir;
    private final Path elf;
    private final int baud;
    private final int lines;
    private final long[] callers;

    public MonitorBench(Path dir, Path elf, int baud, int lines, long[] callers) {
        this.dir = dir;
        this.elf = elf;
        this.baud = baud;
        this.lines = lines;
        this.callers = callers;
    }

    public Result run() throws Exception {
        double[] floor = measure(false);
        double[] monitor = measure(true);
        return new Result(lines, monitor, floor);
    }

    private double[] measure(boolean throughMonitor) throws Exception {
        try (SocatPty pty = SocatPty.in(dir, String.valueOf(throughMonitor))) {
            Path device = pty.device();
            Path host = pty.host();
            long[] sent = new long[lines];
            long[] seen = new long[lines];
            ConcurrentHashMap<Integer, Long> arrivals = new ConcurrentHashMap<>();
            InputStream in = new SerialStream(host.toString(), baud, false, 0, notice -> { });
            Thread receiver;
            if (throughMonitor) {
                Symbolizer symbolizer = Symbolizer.open(elf);
                AddressAnnotator annotator = new AddressAnnotator(FrameTable.of(symbolizer, null), ElfDigest.sha256(elf));
                PrintWriter out = new PrintWriter(new Writer() {
                    private final StringBuilder line = new StringBuilder();

                    @Override
                    public void write(char[] c, int off, int len) {
                        for (int i = off; i < off + len; i++) {
                            if (c[i] == '\n') {
                                Matcher m = SEQ.matcher(line);
                                if (m.find()) {
                                    arrivals.putIfAbsent(Integer.parseInt(m.group(1)), System.nanoTime());
                                } else if (line.toString().startsWith("--- ")) {
                                    arrivals.computeIfPresent(-1, (k, v) -> v); // decoded lines follow their line
                                }
                                line.setLength(0);
                            } else {
                                line.append(c[i]);
                            }
                        }
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                });
                MonitorSession session = new MonitorSession(out, false, annotator, null, () -> new LeakAnalysis(null), Captures.liveLog("bench"));
                receiver = new Thread(() -> {
                    try {
                        session.run(in);
                    } catch (IOException ignored) {
                        // the pty closed
                    }
                });
            } else {
                receiver = new Thread(() -> {
                    byte[] buf = new byte[4096];
                    StringBuilder line = new StringBuilder();
                    try {
                        for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                            for (int i = 0; i < n; i++) {
                                if (buf[i] == '\n') {
                                    Matcher m = SEQ.matcher(line);
                                    if (m.find()) {
                                        arrivals.putIfAbsent(Integer.parseInt(m.group(1)), System.nanoTime());
                                    }
                                    line.setLength(0);
                                } else {
                                    line.append((char) buf[i]);
                                }
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
            try (OutputStream out = Files.newOutputStream(device)) {
                long start = System.nanoTime();
                long written = 0;
                for (int i = 0; i < lines; i++) {
                    StringBuilder b = new StringBuilder("I (" + i + ") bench: line " + i + " ");
                    if (i % 2 == 0) { // every other line a backtrace to decode
                        b.append("Backtrace:");
                        for (long pc : callers) {
                            b.append(String.format(" 0x%08x:0x3ffb0000", pc));
                        }
                    }
                    byte[] bytes = (b + "\n").getBytes(StandardCharsets.US_ASCII);
                    long due = start + (long) (written / bytesPerNs);
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    out.write(bytes);
                    out.flush();
                    sent[i] = System.nanoTime();
                    written += bytes.length;
                }
            }
            Thread.sleep(1000);
            in.close();
            double[] ms = new double[lines];
            int got = 0;
            for (int i = 0; i < lines; i++) {
                Long at = arrivals.get(i);
                if (at != null) {
                    seen[i] = at;
                    ms[got++] = (at - sent[i]) / 1e6;
                }
            }
            double[] out = Arrays.copyOf(ms, got);
            Arrays.sort(out);
            return out;
        }
    }
}
