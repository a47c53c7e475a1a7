package heapscope.log;

import heapscope.source.InputException;
import heapscope.trace.HeapSample;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Free-heap lines in the application's own words, described by the user with a regex ({@code --sample}) whose
 * named groups give the figures: {@code free}, {@code min_free}, {@code largest}, {@code allocated} (decimal, or
 * hex with {@code 0x}), and optionally {@code label}. Tried before the built-in parsers, since the user knows the
 * log best.
 */
final class UserSampleParser implements LineParser {
    static final List<String> FIGURES = List.of("free", "min_free", "largest", "allocated");

    private final List<Pattern> patterns;
    private final boolean[] hasLabel;

    UserSampleParser(List<Pattern> patterns) {
        this.patterns = patterns.stream().map(LinePattern::of).toList();
        this.hasLabel = new boolean[this.patterns.size()];
        for (int i = 0; i < this.patterns.size(); i++) {
            Map<String, Integer> groups = this.patterns.get(i).namedGroups();
            if (FIGURES.stream().noneMatch(groups::containsKey)) {
                throw new InputException("sample regex '" + this.patterns.get(i).pattern() + "' has none of the named groups "
                        + String.join(", ", FIGURES.stream().map(g -> "(?<" + g + ">...)").toList()));
            }
            hasLabel[i] = groups.containsKey("label");
        }
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        for (int i = 0; i < patterns.size(); i++) {
            Matcher m = patterns.get(i).matcher(line.text());
            if (m.find()) {
                sample(m, hasLabel[i], line, sink);
                return true;
            }
        }
        return false;
    }

    private static void sample(Matcher m, boolean hasLabel, LogLine line, LogSink sink) {
        long[] v = new long[FIGURES.size()];
        Map<String, Integer> groups = m.pattern().namedGroups();
        for (int i = 0; i < v.length; i++) {
            String g = FIGURES.get(i);
            v[i] = groups.containsKey(g) ? figure(m.group(g)) : -1;
            if (v[i] == -2) {
                sink.warn(line.number(), "sample line: '" + g + "' is not a number; left unknown");
                v[i] = -1;
            }
        }
        String label = hasLabel && m.group("label") != null ? m.group("label").strip() : "sample";
        sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), label, v[0], v[1], v[2], v[3]));
    }

    /** The group's number, -1 when the group did not take part, -2 when it is not a number. */
    private static long figure(String s) {
        if (s == null) {
            return -1;
        }
        String t = s.strip();
        if (t.matches("\\d{1,15}|0[xX][0-9a-fA-F]{1,12}")) {
            return Num.number(t);
        }
        return -2;
    }
}
