package heapscope.log;

import heapscope.trace.HeapSample;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ESP Insights' heap metrics ({@code esp_diag_heap_metrics_dump()}, log tag {@code heap_metrics}):
 * {@code free:0x%x lfb:0x%x min_free_ever:0x%x} for internal RAM and the same keys prefixed {@code ext_} for
 * PSRAM. One {@link HeapSample} per line, labelled {@code internal} or {@code psram}.
 */
final class InsightsMetricsParser implements LineParser {
    private static final Pattern METRICS = LinePattern.compile(
            "^(ext_)?free:0x([0-9a-fA-F]{1,8}) (?:ext_)?lfb:0x([0-9a-fA-F]{1,8}) (?:ext_)?min_free_ever:0x([0-9a-fA-F]{1,8})\\s*$");

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        if (!(t.startsWith("free:0x") || t.startsWith("ext_free:0x"))) {
            return false;
        }
        Matcher m = METRICS.matcher(t);
        if (!m.matches()) {
            sink.warn(line.number(), "damaged heap_metrics line skipped");
            return true;
        }
        sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), m.group(1) == null ? "internal" : "psram",
                Num.hex(m.group(2)), Num.hex(m.group(4)), Num.hex(m.group(3)), -1));
        return true;
    }
}
