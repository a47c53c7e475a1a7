package heapscope.analysis;

import heapscope.trace.LogMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The log messages that start a cycle of work, kept for the cycle analysis at the end. */
final class CycleMarkers {
    private final Pattern marker;
    private final CycleAnalysis.Options options;
    private final List<CycleAnalysis.Marker> markers = new ArrayList<>();

    /** @param marker messages matching this start a cycle; null for no cycle analysis */
    CycleMarkers(Pattern marker, CycleAnalysis.Options options) {
        this.marker = marker;
        this.options = options;
    }

    void message(LogMessage m) {
        if (marker != null && marker.matcher(m.text()).find()) {
            markers.add(new CycleAnalysis.Marker(m.timeNs(), m.text().strip()));
        }
    }

    int count() {
        return markers.size();
    }

    /** The cycles of the capture, or null without a marker pattern. */
    CycleReport report(List<LeakedBlock> leaks, long endNs, List<Trend> trends) {
        return marker == null ? null : CycleAnalysis.of(markers, leaks, endNs, trends, options);
    }
}
