package heapscope.report;

import heapscope.analysis.Diagnostics;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.trace.Warning;
import java.util.ArrayList;
import java.util.List;

/** The headline of each kind of trace diagnostic, worded once for the text and HTML reports. */
final class DiagnosticLines {
    private DiagnosticLines() {
    }

    /**
     * Why the capture's figures are lower bounds, one sentence per cause, for the top of a report: events the device
     * dropped, and streams whose decoding stopped before their end. Empty when the capture is complete.
     */
    static List<String> incomplete(LeakReport report) {
        List<String> out = new ArrayList<>();
        Diagnostics d = report.diagnostics();
        if (d.incomplete()) {
            out.add("Incomplete: the device dropped " + d.droppedEvents() + " events (trace buffer overflow); leaks may be"
                    + " missing or false.");
        }
        List<Warning> damage = report.recording().damage();
        if (!damage.isEmpty()) {
            Warning first = damage.get(0);
            String more = damage.size() > 1 ? " (and " + (damage.size() - 1) + " more places)" : "";
            out.add(first.unit() == Warning.Unit.BYTE
                    ? "Incomplete: decoding of " + first.source() + " stopped at byte " + first.position() + more
                            + ", on damaged or cut-off data; the figures cover only the events before it."
                    : "Incomplete: " + first.format() + more + ".");
        }
        return out;
    }

    /** "99 heap events (72 allocations, 27 frees)", "12 heap listings (5,406 records)", or both. */
    static String heapSummary(LeakReport.Counts c) {
        java.util.StringJoiner out = new java.util.StringJoiner(", ");
        long outside = c.heapEvents() - c.listedRecords();
        if (outside > 0 || c.listings() == 0) {
            out.add(Units.count(outside) + " heap events (" + Units.count(c.allocs()) + " allocations, " + Units.count(c.frees())
                    + " frees)");
        }
        if (c.listings() > 0) {
            out.add(Units.count(c.listings()) + (c.listings() == 1 ? " heap listing (" : " heap listings (")
                    + Units.count(c.listedRecords()) + " records)");
        }
        return out.toString();
    }

    /** A free-heap series' verdict: "LEAK 96 B/min (99 % CI 90..101), empty in 2 h", "stable", ... */
    static String trendVerdict(heapscope.analysis.Trend t) {
        String per = t.timed() ? "min" : "reading";
        double rate = t.timed() ? t.slope() * 60 : t.slope();
        return switch (t.verdict()) {
            case LEAK -> String.format(java.util.Locale.ROOT, "LEAK %.0f B/%s (99 %% CI %.0f..%.0f)", -rate, per,
                    -(t.timed() ? t.slopeHigh() * 60 : t.slopeHigh()), -(t.timed() ? t.slopeLow() * 60 : t.slopeLow()))
                    + (Double.isInfinite(t.secondsToEmpty()) ? "" : ", empty in " + (t.timed() ? Units.seconds((long) (t.secondsToEmpty() * 1e9))
                    : Math.round(t.secondsToEmpty()) + " readings"));
            case STABLE -> "stable";
            case RECOVERING -> "recovering";
            case TOO_SHORT -> "too few readings for a trend";
        };
    }

    /** "1 reading", "8 readings". */
    static String readings(long n) {
        return Units.count(n) + (n == 1 ? " reading" : " readings");
    }

    /** The ELF given is not the capture's firmware (warnings of {@link heapscope.symbols.ElfCheck}), for the top of a report. */
    static List<String> elfMismatch(LeakReport report) {
        List<String> out = new ArrayList<>();
        for (Warning w : report.recording().warnings()) {
            if (heapscope.symbols.ElfCheck.isProblem(w.message())) {
                out.add("ELF mismatch: " + w.format());
            }
        }
        return out;
    }

    static String freesInsideBlocks(Diagnostics d) {
        return d.freesInsideBlocks() + " frees of an address inside a live block (wrong pointer passed to free?)";
    }

    static String duplicateAllocs(Diagnostics d) {
        return d.duplicateAllocs() + " allocations at an address that was still live (its free was not traced)";
    }

    static String unmatchedFrees(Diagnostics d) {
        return d.unmatchedFrees() + " frees of blocks not allocated in the capture (allocated before tracing started,"
                + " or by an untraced allocator such as heap_caps_calloc)";
    }

    static String failedAllocs(Diagnostics d) {
        return d.failedAllocs() + " failed allocations (" + Units.bytes(d.failedAllocBytes()) + " requested)";
    }

    static String nullFrees(Diagnostics d) {
        return d.nullFrees() + " calls of free(NULL)";
    }

    static String reorderedPairs(Diagnostics d) {
        return d.reorderedPairs() + " allocations and frees on two cores that the cores' clocks put up to "
                + LeakAnalysis.CORE_SKEW_NS / 1000 + " µs out of order: read in their real order, not as leaks";
    }
}
