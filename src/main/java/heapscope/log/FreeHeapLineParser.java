package heapscope.log;

import heapscope.trace.HeapSample;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The free-heap lines applications print themselves ({@code Free heap: 1234 bytes}, {@code free_internal_heap:
 * 45871 bytes, delta: -128 bytes}, {@code Min free heap: 100, Largest free block: 50}): known keys followed by
 * {@code :} or {@code =} and a number with an optional unit. One {@link HeapSample} per region named on the line:
 * {@code default} (what esp_get_free_heap_size measures), {@code internal}, {@code psram}. The keys are listed in
 * docs/log-formats.md; other lines are left alone, since a guess would put wrong points into the series.
 */
final class FreeHeapLineParser implements LineParser {
    private static final Pattern KEY = LinePattern.compile("(?i)\\b(?:"
            + "(?<md>min(?:imum)?[ _](?:ever[ _])?free[ _]heap(?:[ _]size)?|esp_get_minimum_free_heap_size(?:\\(\\))?)"
            + "|(?<fd>free[ _]heap(?:[ _]size)?|esp_get_free_heap_size(?:\\(\\))?)"
            + "|(?<fi>free[ _]internal(?:[ _]heap)?|internal[ _]free(?:[ _]heap)?)"
            + "|(?<fp>free[ _](?:psram|spiram)(?:[ _]heap)?|(?:psram|spiram)[ _]free(?:[ _]heap)?)"
            + "|(?<lb>largest[ _]free[ _]block))"
            + "\\s*[:=]\\s*(?<n>\\d{1,12})(?:\\s*(?<u>bytes|byte|B|KiB|KB|kB)\\b)?");

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        if (t.indexOf("ree") < 0 && t.indexOf("REE") < 0) {
            return false;
        }
        // figures per region: default free, min, largest; internal free; psram free
        long free = -1, min = -1, largest = -1, internal = -1, psram = -1;
        boolean any = false;
        for (Matcher m = KEY.matcher(t); m.find(); ) {
            long v = Num.bytes(m.group("n"), m.group("u"));
            any = true;
            if (m.group("md") != null) {
                min = v;
            } else if (m.group("fd") != null) {
                free = v;
            } else if (m.group("fi") != null) {
                internal = v;
            } else if (m.group("fp") != null) {
                psram = v;
            } else {
                largest = v;
            }
        }
        if (!any) {
            return false;
        }
        if (free >= 0 || min >= 0 || largest >= 0) {
            emit(line, sink, "default", free, min, largest);
        }
        if (internal >= 0) {
            emit(line, sink, "internal", internal, -1, -1);
        }
        if (psram >= 0) {
            emit(line, sink, "psram", psram, -1, -1);
        }
        return true;
    }

    private static void emit(LogLine line, LogSink sink, String label, long free, long min, long largest) {
        sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), label, free, min, largest, -1));
    }
}
