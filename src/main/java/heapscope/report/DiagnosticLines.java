package heapscope.report;

import heapscope.analysis.Diagnostics;
import heapscope.analysis.Fragmentation;
import heapscope.analysis.Incidents;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.Trend;
import heapscope.coredump.heap.CrashHeap;
import heapscope.coredump.heap.HeapAtCrash;
import heapscope.coredump.heap.HeapTrace;
import heapscope.coredump.heap.TraceSites;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.Recording;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/** The headline of each kind of trace diagnostic, worded once for the text and HTML reports. */
final class DiagnosticLines {
    private DiagnosticLines() {
    }

    /**
     * A memory error's block in words, as Linux's KASAN says it: {@code 4-byte write at 0x3fc9a0b4, 8 bytes past the
     * end of the 84-byte block at 0x3fc9a060}; null without a block.
     */
    static String memoryError(Incidents.MatchedCorruption m) {
        if (m.block() == null) {
            return null;
        }
        Corruption.Access a = m.report().access();
        Incidents.Placement p = m.placement();
        String what = (a != null ? a.size() + "-byte " + a.label() : "damage") + " at " + Units.hex(m.report().address()) + ", ";
        String where = switch (p.where()) {
            case INSIDE -> p.bytes() == 0 ? "at the start of" : bytes(p.bytes()) + " into";
            case PAST_END -> bytes(p.bytes()) + " past the end of";
            case BEFORE_START -> bytes(p.bytes()) + " before the start of";
        };
        return what + where + " the " + m.block().size() + "-byte " + (p.freed() != null ? "freed " : "") + "block at "
                + Units.hex(m.block().address());
    }

    /**
     * The headline of failed allocations starved by fragmentation: {@code Fragmentation: 3 of 4 failed allocations
     * asked for fewer bytes than the heap had free, but more than its largest free block: ...}; null when none was.
     * {@code firstNs}: the capture's first event, times are given from it.
     */
    static String fragmentation(Fragmentation f, long firstNs) {
        Fragmentation.Failure first = f.firstStarved();
        if (first == null) {
            return null;
        }
        var h = first.reading();
        return "Fragmentation: " + Units.count(f.starved()) + " of " + Units.count(f.failures()) + " failed "
                + (f.failures() == 1 ? "allocation" : "allocations") + " asked for fewer bytes than the heap had free, but more than its"
                + " largest free block: the first, " + Units.count(first.size()) + " bytes"
                + (h.timed() ? " at " + Units.seconds(first.timeNs() - firstNs) : "") // a log without times has no clock to say
                + ", when " + h.label() + " had " + Units.count(h.free()) + " bytes free and its largest free block was "
                + Units.count(h.largestFree()) + " bytes (reading at line " + h.line() + (first.after() ? ", after the failure" : "")
                + "). More free heap will not help here: allocate large buffers early and keep them, or use fewer, same-sized blocks (a pool).";
    }

    /** The same for a report, its times from the capture's first event. */
    static String fragmentation(LeakReport report) {
        return fragmentation(report.fragmentation(), report.counts().firstNs());
    }

    /** The other failed allocations by what the readings say of them, or null when every failure was starved or none was read. */
    static String failureCauses(Fragmentation f) {
        StringJoiner j = new StringJoiner("; ");
        if (f.exhausted() > 0) {
            j.add(Units.count(f.exhausted()) + " asked for more bytes than any heap had free (exhaustion)");
        }
        if (f.room() > 0) {
            j.add(Units.count(f.room()) + " failed although a reading showed a free block large enough (the heap changed after"
                    + " it, or the request's capabilities are not among the readings)");
        }
        if (f.unjudged() > 0) {
            j.add(Units.count(f.unjudged()) + " with no reading of the largest free block to hold them against");
        }
        return j.length() == 0 || f.failures() == f.unjudged() ? null : "Failed allocations: " + j + ".";
    }

    /** After a core dump's reason: which printed crash it records, which is why the two count once. */
    static String printedNote(Crash c) {
        return c.printedAt() < 0 ? "" : " (the core dump of the crash printed at line " + c.printedAt() + ")";
    }

    /** How many sizes of the live set, and sites of a heap trace, a crash's heap lines name. */
    private static final int CRASH_HEAP_ROWS = 5;

    /** The heap of a core dump's crash in lines (not escaped), for the text and HTML reports; empty when it told nothing. */
    static List<String> crashHeap(CrashHeap h) {
        List<String> out = new ArrayList<>();
        if (h == null || !h.any()) {
            return out;
        }
        if (h.otherFirmware() != null) {
            out.add("(" + h.otherFirmware() + ": the heap below is read where its symbols say and with its types, which may "
                    + "not be this firmware's)");
        }
        if (h.heap() instanceof HeapAtCrash.Walked w) {
            HeapAtCrash.Totals t = w.totals();
            out.add(String.format(Locale.ROOT, "heap at the crash: %s allocated (%s B), %s free (%s B), the largest free block %s B, "
                    + "in %d regions", Units.blocks(t.usedBlocks()), Units.count(t.usedBytes()), Units.blocks(t.freeBlocks()),
                    Units.count(t.freeBytes()), Units.count(t.largestFree()), w.regions().size()));
            for (String p : w.problems()) {
                out.add("  the walk found: " + p);
            }
            StringJoiner sizes = new StringJoiner(", ", "  allocated by size: ", "");
            w.liveBySize().stream().limit(CRASH_HEAP_ROWS).forEach(c -> sizes.add(Units.count(c.count()) + " x " + Units.count(c.size()) + " B"));
            if (!w.liveBySize().isEmpty()) {
                out.add(sizes.toString());
            }
        }
        if (h.failed() != null) {
            out.add("  " + failure(h.failed().size(), h.failed().caps(), h.failed().why()));
        }
        if (h.trace() instanceof HeapTrace.Read t) {
            long alive = t.records().stream().filter(r -> !r.freed()).count();
            out.add(String.format(Locale.ROOT, "heap trace at the crash: %s alive of %s records%s", Units.blocks(alive),
                    Units.count(t.capacity()), t.overflowed() ? "; the buffer overflowed, so later allocations are missing" : ""));
            for (String w : t.warnings()) {
                out.add("  the trace is damaged: " + w);
            }
            for (TraceSites.Site site : h.sites().subList(0, Math.min(CRASH_HEAP_ROWS, h.sites().size()))) {
                out.add("  " + Units.count(site.bytes()) + " B in " + Units.blocks(site.blocks()) + ": " + site.describe());
            }
        }
        return out;
    }

    /** Why an allocation failed, against the heap at the crash, in one sentence. */
    static String failure(long size, long caps, HeapAtCrash.Failure f) {
        String asked = "the failed allocation of " + Units.count(size) + " bytes: ";
        return asked + switch (f.kind()) {
            case NO_REGION -> caps < 0 ? "no heap region was walked"
                    : String.format(Locale.ROOT, "no region has all the capabilities 0x%x it asked for", caps);
            case EXHAUSTED -> String.format(Locale.ROOT, "the %d regions with its capabilities had %s B free in all: the heap "
                    + "was exhausted", f.regions(), Units.count(f.free()));
            case FRAGMENTED -> String.format(Locale.ROOT, "the %d regions with its capabilities had %s B free, but no free block "
                    + "larger than %s B: the heap was fragmented", f.regions(), Units.count(f.free()), Units.count(f.largest()));
            case ROOM_AT_THE_DUMP -> String.format(Locale.ROOT, "a free block of %s B with its capabilities is in the dump, so "
                    + "the heap changed between the failure and the dump (or the request needed an alignment or more than it "
                    + "says)", Units.count(f.largest()));
        };
    }

    private static String bytes(long n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }

    /** "esp32s3 (ROM banner, line 1)", or null without a chip. */
    static String chip(LeakReport report) {
        if (report.chip() == null) {
            return null;
        }
        return report.chipSource() == null ? report.chip().idfName() : report.chip().idfName() + " (" + report.chipSource() + ")";
    }

    /** "2 cores", or "2 cores (1 traced)" when a core's stream is missing. */
    static String cores(Recording rec) {
        String cores = rec.cores() + (rec.cores() == 1 ? " core" : " cores");
        return rec.tracedCores() < rec.cores() ? cores + " (" + rec.tracedCores() + " traced)" : cores;
    }

    /** "99 heap events (72 allocations, 27 frees)", "12 heap listings (5,406 records)", or both. */
    static String heapSummary(LeakReport.Counts c) {
        StringJoiner out = new StringJoiner(", ");
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
    static String trendVerdict(Trend t) {
        String per = t.timed() ? "min" : "reading";
        double rate = t.timed() ? t.slope() * 60 : t.slope();
        return switch (t.verdict()) {
            case LEAK -> String.format(Locale.ROOT, "LEAK %.0f B/%s (99 %% CI %.0f..%.0f)", -rate, per,
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
