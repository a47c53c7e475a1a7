package heapscope.monitor;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.capture.Captures;
import heapscope.report.Escape;
import heapscope.trace.Condition;
import heapscope.trace.Event;
import heapscope.trace.EventReader;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * heapscope as the serial monitor: every received line is printed at once (colours kept on a terminal, stripped
 * otherwise), followed by the decoding of the code addresses it mentions; the bytes are saved as received; and
 * the same bytes feed the serial-log decoder and the leak analysis on another thread, whose report is ready when
 * the stream ends.
 */
public final class MonitorSession {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");
    /** Select Graphic Rendition (colours, bold): the only sequences passed through to the terminal. */
    private static final Pattern SGR = Pattern.compile("\u001b\\[[0-9;]*m");
    /** A line longer than this is printed in pieces: a device writing without newlines must not hold output back. */
    private static final int MAX_LINE = 16 * 1024;
    /** idf.py monitor's --timestamps format, in the host's time zone. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss ");

    private final PrintWriter out;
    private final boolean color;
    private final AddressAnnotator annotator;
    private final CaptureFile capture;
    private final Supplier<LeakAnalysis> analysis;
    private final Captures.Live decoding;

    /**
     * @param out       where the device's lines are shown, or null for a binary stream (a raw SystemView capture)
     * @param annotator decodes addresses inline, or null without an ELF
     * @param capture   where to save the raw bytes, or null
     * @param decoding  the stream's format, from the front door, which decodes a copy of the bytes
     */
    public MonitorSession(PrintWriter out, boolean color, AddressAnnotator annotator, CaptureFile capture,
                          Supplier<LeakAnalysis> analysis, Captures.Live decoding) {
        this.out = out;
        this.color = color;
        this.annotator = annotator;
        this.capture = capture;
        this.analysis = analysis;
        this.decoding = decoding;
    }

    private final AtomicReference<LeakAnalysis.Status> status = new AtomicReference<>();
    private volatile Set<Condition.Kind> losses = Set.of();
    /** Host time before each line shown (not in the capture, which stays as received). */
    private volatile boolean timestamps;
    private volatile Consumer<LeakReport> reportRequest;
    private volatile Consumer<Event> watcher;
    private PipedOutputStream pipe;
    private CompletableFuture<LeakReport> report;
    private LeakReport finished;
    /** The analysis takes no more input (set under {@code pipe}): the session is ending. */
    private volatile boolean stopped;

    /** Runs until the source ends; returns the report of everything received. */
    public LeakReport run(InputStream source) throws IOException {
        start();
        byte[] buf = new byte[8192];
        byte[] line = new byte[256];
        int len = 0;
        try {
            for (int n = source.read(buf); n >= 0; n = source.read(buf)) {
                if (n == 0) {
                    continue;
                }
                long now = System.currentTimeMillis();
                if (capture != null) {
                    capture.write(buf, 0, n, now);
                }
                boolean analysisEnded = false;
                synchronized (pipe) {
                    if (stopped) {
                        break; // stopped from another thread: its report covers what came before
                    }
                    try {
                        pipe.write(buf, 0, n);
                    } catch (IOException closed) {
                        if (!ending(report)) {
                            throw closed;
                        }
                        analysisEnded = true; // the analysis thread failed: finish() says why
                    }
                }
                if (analysisEnded) {
                    break;
                }
                if (out == null) { // a binary stream: nothing to show
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (len == line.length) {
                        line = Arrays.copyOf(line, line.length * 2);
                    }
                    line[len++] = b;
                    if (b == '\n' || len >= MAX_LINE) {
                        show(line, len, now);
                        len = 0;
                    }
                }
                out.flush();
                if (capture != null) {
                    capture.flush();
                }
            }
            if (len > 0) {
                show(line, len, System.currentTimeMillis());
            }
        } finally {
            if (out != null) {
                out.flush();
            }
        }
        return finish();
    }

    /**
     * The pipe as a binary decoder reads it: while no bytes wait, it runs {@code idle} every {@link #IDLE_MS} (on the
     * decoder's thread, which is the analysis's), so a report asked for while the device is silent is not held up.
     */
    private static final class WaitingInput extends FilterInputStream {
        private static final long IDLE_MS = 100;
        private final BooleanSupplier ended;
        private final Supplier<Runnable> idle;

        WaitingInput(InputStream in, BooleanSupplier ended, Supplier<Runnable> idle) {
            super(in);
            this.ended = ended;
            this.idle = idle;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long since = System.nanoTime();
            while (in.available() == 0 && !ended.getAsBoolean()) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (System.nanoTime() - since > IDLE_MS * 1_000_000L) {
                    idle.get().run();
                    since = System.nanoTime();
                }
            }
            return in.read(b, off, len);
        }
    }

    /**
     * Whether the analysis thread ended: it closes the pipe's reading end as it ends, so a write can fail just
     * before its result is set.
     */
    private static boolean ending(CompletableFuture<LeakReport> report) {
        try {
            report.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // finish() reports the failure; a timeout leaves it running
        }
        return report.isDone();
    }

    private synchronized void start() throws IOException {
        PipedInputStream pipeIn = new PipedInputStream(1 << 20);
        pipe = new PipedOutputStream(pipeIn);
        AtomicReference<Runnable> whileWaiting = new AtomicReference<>(() -> { });
        InputStream bytes = decoding.format().text() ? pipeIn : new WaitingInput(pipeIn, () -> stopped, whileWaiting::get);
        report = CompletableFuture.supplyAsync(() -> {
            try (EventReader decoder = decoding.open(bytes)) {
                LeakAnalysis a = analysis.get();
                // served on this thread, the only one that may touch the analysis: after an event, or when input pauses
                Runnable serve = () -> {
                    Consumer<LeakReport> request = reportRequest;
                    if (request != null) {
                        reportRequest = null;
                        request.accept(a.finish(decoder.recording()));
                    }
                };
                decoder.onIdle(serve);
                whileWaiting.set(serve); // a binary decoder has no idle of its own: served while it waits for bytes
                long published = 0;
                for (Event e = decoder.next(); e != null; e = decoder.next()) {
                    a.accept(e);
                    Consumer<Event> w = watcher;
                    if (w != null) {
                        w.accept(e);
                    }
                    serve.run();
                    if (System.nanoTime() - published > 200_000_000L) { // a few times a second is all a person can read
                        publish(a, decoder);
                        published = System.nanoTime(); // from the end: a slow status must not run after every event
                    }
                }
                publish(a, decoder);
                return a.finish(decoder.recording());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, MonitorSession::analysisThread);
    }

    /**
     * The analysis runs for the whole session and blocks on the device's bytes: a thread of its own, not one of the
     * common pool's, which is meant for short computations (and on a larger machine would lose a worker for good).
     */
    private static void analysisThread(Runnable task) {
        Thread t = new Thread(task, "heapscope-monitor-analysis");
        t.setDaemon(true);
        t.start();
    }

    /** Publishes the analysis's state and what the capture lost so far, for a live status line (on the analysis thread). */
    private void publish(LeakAnalysis a, EventReader decoder) {
        status.set(a.status(decoder.recording().stacks()));
        losses = decoder.recording().conditions().stream().filter(c -> c.effect() == Condition.Effect.INCOMPLETE)
                .map(Condition::kind).collect(Collectors.toUnmodifiableSet());
    }

    /** What made the capture incomplete so far (bytes lost in transit, events the device dropped), as last published. */
    public Set<Condition.Kind> losses() {
        return losses;
    }

    /**
     * Asks for the report of what was received so far, without stopping; {@code deliver} gets it on the analysis
     * thread after the next event, or within 200 ms when nothing arrives.
     */
    public void requestReport(Consumer<LeakReport> deliver) {
        reportRequest = deliver;
    }

    /** Shows WATCHER each event once the analysis took it, on the analysis thread (bench: decode latency). */
    public void watch(Consumer<Event> watcher) {
        this.watcher = watcher;
    }

    /** Host timestamps before each line from now on, or not (idf.py monitor's Ctrl-T Ctrl-I). */
    public void timestamps(boolean on) {
        timestamps = on;
    }

    /** Turns timestamps on when off and off when on; returns the new state. Not synchronized: finish() holds the lock long. */
    public boolean toggleTimestamps() {
        timestamps = !timestamps;
        return timestamps;
    }

    /** The analysis's state as last published (null before the first events), for a live status line. */
    public LeakAnalysis.Status status() {
        return status.get();
    }

    /**
     * Ends the analysis of what was received so far and returns its report; the same report on every call. Safe
     * from another thread (a Ctrl-C handler) while {@link #run} still waits for input.
     */
    public synchronized LeakReport finish() throws IOException {
        if (finished != null) {
            return finished;
        }
        if (report == null) {
            start();
        }
        synchronized (pipe) {
            stopped = true;
            pipe.close();
        }
        try {
            finished = report.get();
            return finished;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while analysing the capture", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) { // out of memory on the analysis thread: the run ends as on this one
                throw error;
            }
            throw new IOException(e.getCause());
        }
    }

    private void show(byte[] line, int len, long epochMs) {
        int end = len;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        String plain = ANSI.matcher(text).replaceAll("");
        // colours pass on a terminal; anything else that could drive the terminal is made visible
        String stamp = timestamps ? STAMP.format(Instant.ofEpochMilli(epochMs).atZone(ZoneId.systemDefault())) : "";
        out.println(stamp + (color ? keepColours(text) : Escape.terminal(plain)));
        if (annotator != null) {
            for (String decoded : annotator.annotate(plain)) {
                out.println(Escape.terminal(decoded));
            }
        }
    }

    /** The line with its SGR colour sequences kept and every other control character escaped. */
    private static String keepColours(String text) {
        StringBuilder b = new StringBuilder(text.length());
        Matcher m = ANSI.matcher(text);
        int at = 0;
        while (m.find()) {
            b.append(Escape.terminal(text.substring(at, m.start())));
            String seq = m.group();
            b.append(SGR.matcher(seq).matches() ? seq : Escape.terminal(seq));
            at = m.end();
        }
        return b.append(Escape.terminal(text.substring(at))).toString();
    }
}
