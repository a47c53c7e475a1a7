package heapscope.export;

import heapscope.analysis.CycleReport;
import heapscope.util.Sorted;

import java.util.List;

/** Which cycle of work (from --cycle markers) a moment falls in, numbered from 1 as the reports number them. */
final class CycleIndex {
    private final long[] starts;

    CycleIndex(CycleReport report) {
        List<CycleReport.Cycle> cycles = report == null ? List.of() : report.cycles();
        starts = new long[cycles.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = cycles.get(i).startNs();
        }
    }

    /** The cycle number at {@code timeNs}, 0 before the first marker or without cycles. */
    int at(long timeNs) {
        // the last cycle whose marker is at or before the time, as the cycle analysis assigns blocks
        return Sorted.lastAtOrBefore(starts, timeNs) + 1;
    }
}
