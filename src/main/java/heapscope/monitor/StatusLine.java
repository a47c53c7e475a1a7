package heapscope.monitor;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.Trend;
import heapscope.report.Units;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The live heap view of the monitor, on standard error so standard output stays the device's: every few
 * seconds, when something changed, one line with the free heap and its low-water mark, the traced live bytes,
 * heap listings, cycles and incidents. On a terminal it rewrites itself in place; piped, it is a plain line.
 */
public final class StatusLine implements AutoCloseable {
    private final Supplier<LeakAnalysis.Status> source;
    private final Function<long[], String> siteName;
    /** What the capture itself did (bytes, rate, losses), shown before the heap; null for none. */
    private final Supplier<String> progress;
    private final PrintStream err;
    private final boolean terminal;
    private final Thread thread;
    private volatile boolean closed;
    private String shown;
    /** Characters of the line on the terminal, which the next one overwrites. */
    private int shownWidth;

    /** @param siteName names a call stack (return addresses, innermost first) for a person: its allocation site */
    public StatusLine(Supplier<LeakAnalysis.Status> source, Function<long[], String> siteName, PrintStream err,
                      boolean terminal, long everyMs) {
        this(source, siteName, null, err, terminal, everyMs);
    }

    /** @param progress the capture's own figures, first on the line (heapscope capture's bytes, rate, losses) */
    public StatusLine(Supplier<LeakAnalysis.Status> source, Function<long[], String> siteName, Supplier<String> progress,
                      PrintStream err, boolean terminal, long everyMs) {
        this.progress = progress;
        this.source = source;
        this.siteName = siteName;
        this.err = err;
        this.terminal = terminal;
        this.thread = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(everyMs);
                } catch (InterruptedException e) {
                    return;
                }
                show();
            }
        }, "heapscope-status");
        thread.setDaemon(true);
        thread.start();
    }

    void show() {
        LeakAnalysis.Status s = source.get();
        if (s == null && progress == null) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (progress != null) {
            parts.add(progress.get());
        }
        if (s != null) {
            parts.addAll(parts(s, siteName));
        }
        String line = "[heapscope] " + String.join(" | ", parts);
        if (line.equals(shown)) {
            return;
        }
        shown = line;
        if (terminal) {
            // overwritten with spaces rather than erased with a control sequence: heapscope sends a terminal
            // nothing but SGR colours, which every terminal and log viewer understands
            err.print("\r" + line + " ".repeat(Math.max(0, shownWidth - line.length())));
            shownWidth = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Without an ELF a stack is named by its innermost caller. */
    public static String rawName(long[] callers) {
        return callers.length == 0 ? "(no callers)" : String.format("0x%08x", callers[0]);
    }

    static String format(LeakAnalysis.Status s, Function<long[], String> siteName) {
        return "[heapscope] " + String.join(" | ", parts(s, siteName));
    }

    private static List<String> parts(LeakAnalysis.Status s, Function<long[], String> siteName) {
        List<String> parts = new ArrayList<>();
        if (s.freeHeap() >= 0) {
            String trend = "";
            if (s.trend() != null && s.trend().verdict() == Trend.Verdict.LEAK) {
                double rate = -s.trend().slope() * (s.trend().timed() ? 60 : 1);
                trend = String.format(Locale.ROOT, ", leaking %.0f B/%s", rate, s.trend().timed() ? "min" : "reading");
            } else if (s.trend() != null) {
                trend = ", " + s.trend().verdict().name().toLowerCase(Locale.ROOT);
            }
            if (s.trend() != null && !Double.isNaN(s.trend().fragmentation())) { // the readings print the largest free block
                trend += String.format(Locale.ROOT, "; largest block %d %% of it%s", Math.round(s.trend().fragmentation() * 100),
                        s.trend().fragmenting() ? ", fragmenting" : "");
            }
            parts.add("free heap " + Units.bytes(s.freeHeap()) + " (lowest " + Units.bytes(s.lowestFreeHeap()) + trend + ")");
        }
        parts.add("traced live " + Units.bytes(s.liveBytes()) + " in " + Units.count(s.liveBlocks()) + " blocks"
                + (s.stacks() > 0 ? " from " + s.stacks() + (s.stacks() == 1 ? " stack" : " stacks") : ""));
        if (!s.top().isEmpty()) {
            parts.add("top " + String.join(", ", s.top().stream().map(t -> siteName.apply(t.callers()) + " " + Units.bytes(t.bytes())).toList()));
        }
        if (s.listings() > 0) {
            parts.add(s.listings() + (s.listings() == 1 ? " heap listing" : " heap listings") + " (latest " + s.lastListing() + " blocks)");
        }
        if (s.cycles() > 0) {
            parts.add(s.cycles() + " cycles");
        }
        if (s.corruptions() + s.crashes() > 0) {
            parts.add(s.corruptions() + " corruptions, " + s.crashes() + " crashes");
        }
        return parts;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (terminal && shown != null) {
            err.print("\r" + " ".repeat(shownWidth) + "\r");
            err.flush();
        }
    }
}
