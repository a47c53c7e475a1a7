package heapscope.monitor;

import heapscope.analysis.LeakAnalysis;
import heapscope.report.Units;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The live heap view of the monitor, on standard error so standard output stays the device's: every few
 * seconds, when something changed, one line with the free heap and its low-water mark, the traced live bytes,
 * heap listings, cycles and incidents. On a terminal it rewrites itself in place; piped, it is a plain line.
 */
public final class StatusLine implements AutoCloseable {
    private final Supplier<LeakAnalysis.Status> source;
    private final PrintStream err;
    private final boolean terminal;
    private final Thread thread;
    private volatile boolean closed;
    private LeakAnalysis.Status shown;

    public StatusLine(Supplier<LeakAnalysis.Status> source, PrintStream err, boolean terminal, long everyMs) {
        this.source = source;
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
        if (s == null || s.equals(shown)) {
            return;
        }
        shown = s;
        String line = format(s);
        if (terminal) {
            err.print("\r\u001b[2K" + line);
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String format(LeakAnalysis.Status s) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (s.freeHeap() >= 0) {
            parts.add("free heap " + Units.bytes(s.freeHeap()) + " (lowest " + Units.bytes(s.lowestFreeHeap()) + ")");
        }
        parts.add("traced live " + Units.bytes(s.liveBytes()) + " in " + Units.count(s.liveBlocks()) + " blocks");
        if (s.listings() > 0) {
            parts.add(s.listings() + (s.listings() == 1 ? " heap listing" : " heap listings"));
        }
        if (s.cycles() > 0) {
            parts.add(s.cycles() + " cycles");
        }
        if (s.corruptions() + s.crashes() > 0) {
            parts.add(s.corruptions() + " corruptions, " + s.crashes() + " crashes");
        }
        return "[heapscope] " + String.join(" | ", parts);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (terminal && shown != null) {
            err.print("\r\u001b[2K");
            err.flush();
        }
    }
}
