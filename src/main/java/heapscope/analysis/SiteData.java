package heapscope.analysis;

import heapscope.source.InputException;
import heapscope.source.InputFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data the site analysis works from: allocator patterns and leak rules, the built-in ones from
 * {@code heapscope/allocators.txt} and {@code heapscope/rules.txt} plus any the user adds.
 */
public record SiteData(List<NamePattern> allocators, List<LeakRule> rules) {

    /** Built-in data plus the user's files (either may be null). */
    public static SiteData load(Path extraAllocators, Path extraRules) throws IOException {
        List<NamePattern> allocators = new ArrayList<>();
        List<LeakRule> rules = new ArrayList<>();
        allocators(read("allocators.txt", resource("allocators.txt")), allocators);
        rules(read("rules.txt", resource("rules.txt")), "rules.txt", rules);
        if (extraAllocators != null) {
            allocators(InputFiles.lines(extraAllocators), allocators);
        }
        if (extraRules != null) {
            rules(InputFiles.lines(extraRules), extraRules.toString(), rules);
        }
        return new SiteData(List.copyOf(allocators), List.copyOf(rules));
    }

    public boolean allocator(String function) {
        for (NamePattern p : allocators) {
            if (p.matches(function)) {
                return true;
            }
        }
        return false;
    }

    private static InputStream resource(String name) {
        return SiteData.class.getResourceAsStream("/heapscope/" + name);
    }

    private static List<String> read(String name, InputStream in) throws IOException {
        if (in == null) {
            throw new IllegalStateException("built-in " + name + " missing from the jar");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

    private static void allocators(List<String> lines, List<NamePattern> out) {
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(NamePattern.of(t));
            }
        }
    }

    /** {@code [name]} sections of {@code key = value} lines. */
    private static void rules(List<String> lines, String source, List<LeakRule> out) {
        String name = null;
        Map<String, String> keys = new LinkedHashMap<>();
        int at = 0;
        for (int i = 0; i <= lines.size(); i++) {
            String t = i < lines.size() ? lines.get(i).strip() : "[";
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("[")) {
                if (name != null) {
                    out.add(rule(name, keys, source, at));
                }
                if (i < lines.size()) {
                    if (!t.endsWith("]")) {
                        throw new InputException(source + ": line " + (i + 1) + ": expected [rule-name]");
                    }
                    name = t.substring(1, t.length() - 1).strip();
                    keys = new LinkedHashMap<>();
                    at = i + 1;
                }
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0 || name == null) {
                throw new InputException(source + ": line " + (i + 1) + ": expected key = value inside a [rule]");
            }
            keys.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
        }
    }

    private static LeakRule rule(String name, Map<String, String> keys, String source, int line) {
        String frames = keys.get("frames");
        if (frames == null || frames.isBlank()) {
            throw new InputException(source + ": line " + line + ": rule [" + name + "] needs frames = ...");
        }
        List<NamePattern> patterns = new ArrayList<>();
        for (String p : frames.split(",")) {
            patterns.add(NamePattern.of(p.strip()));
        }
        long min = -1;
        long max = -1;
        String size = keys.get("size");
        if (size != null) {
            try {
                String[] range = size.split("-");
                min = Long.parseLong(range[0].strip());
                max = range.length > 1 ? Long.parseLong(range[1].strip()) : min;
            } catch (NumberFormatException e) {
                throw new InputException(source + ": line " + line + ": rule [" + name + "]: size must be N or N-M");
            }
        }
        return new LeakRule(name, "expected".equals(keys.get("kind")), List.copyOf(patterns), min, max,
                keys.getOrDefault("title", name), keys.getOrDefault("explain", ""), keys.getOrDefault("fix", ""));
    }
}
