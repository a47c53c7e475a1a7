package heapscope.analysis;

import heapscope.source.InputException;
import heapscope.source.InputFiles;
import heapscope.symbols.Frame;
import heapscope.trace.StackTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * Leaks the user has accepted, in LeakSanitizer's format: one {@code leak:PATTERN} a line, {@code #} comments.
 * As in LSan a pattern matches anywhere in a function name, source file path or component of the leak's call
 * stack ({@code *} matches anything, {@code ^} and {@code $} anchor); without an ELF, in the caller addresses.
 */
public record Suppressions(List<String> patterns, List<Pattern> regexes) {
    public static final Suppressions NONE = new Suppressions(List.of(), List.of());

    public static Suppressions load(Path file) throws IOException {
        if (file == null) {
            return NONE;
        }
        List<String> patterns = new ArrayList<>();
        List<Pattern> regexes = new ArrayList<>();
        List<String> lines = InputFiles.lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (!t.startsWith("leak:") || t.length() == "leak:".length()) {
                throw new InputException(file + ": line " + (i + 1) + ": expected leak:PATTERN");
            }
            String p = t.substring("leak:".length()).strip();
            patterns.add(p);
            regexes.add(regex(p));
        }
        return new Suppressions(List.copyOf(patterns), List.copyOf(regexes));
    }

    private static Pattern regex(String p) {
        boolean start = p.startsWith("^");
        boolean end = p.endsWith("$") && p.length() > 1;
        String body = p.substring(start ? 1 : 0, p.length() - (end ? 1 : 0));
        List<String> pieces = new ArrayList<>();
        for (String piece : body.split("\\*", -1)) {
            pieces.add(piece.isEmpty() ? "" : Pattern.quote(piece));
        }
        return Pattern.compile((start ? "^" : "") + String.join(".*", pieces) + (end ? "$" : ""));
    }

    /**
     * The pattern that suppresses each leak group (by stack id); groups not suppressed are absent.
     *
     * @param frames source frames of a return address, or null without an ELF
     */
    public Map<Integer, String> match(LeakReport report, LongFunction<List<Frame>> frames) {
        Map<Integer, String> out = new HashMap<>();
        if (patterns.isEmpty()) {
            return out;
        }
        StackTable stacks = report.recording().stacks();
        for (LeakGroup g : report.groups()) {
            if (stacks.isOther(g.stack())) {
                continue; // many stacks folded together: a pattern cannot accept them all
            }
            List<String> names = new ArrayList<>();
            for (int k = 0; k < stacks.depth(g.stack()); k++) {
                long address = stacks.frame(g.stack(), k);
                names.add(String.format("0x%08x", address));
                if (frames != null) {
                    for (Frame f : frames.apply(address)) {
                        if (f.function() != null) {
                            names.add(f.function());
                        }
                        if (f.file() != null) {
                            names.add(f.file());
                            names.add(SiteAnalysis.component(f.file()));
                        }
                    }
                }
            }
            for (int i = 0; i < regexes.size() && !out.containsKey(g.stack()); i++) {
                Pattern r = regexes.get(i);
                for (String n : names) {
                    if (r.matcher(n).find()) {
                        out.put(g.stack(), patterns.get(i));
                        break;
                    }
                }
            }
        }
        return out;
    }
}
