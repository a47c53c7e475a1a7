package heapscope.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A function-name pattern as users write them in the allocator list and the rules: {@code *} matches anything,
 * {@code a|b} either; matched against the name without its parameter list.
 */
public record NamePattern(String text, Pattern regex) {
    public static NamePattern of(String text) {
        List<String> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\|")) {
            List<String> pieces = new ArrayList<>();
            for (String piece : alternative.trim().split("\\*", -1)) {
                pieces.add(piece.isEmpty() ? "" : Pattern.quote(piece));
            }
            alternatives.add("(?:" + String.join(".*", pieces) + ")");
        }
        return new NamePattern(text, Pattern.compile(String.join("|", alternatives)));
    }

    public boolean matches(String function) {
        return function != null && regex.matcher(bare(function)).matches();
    }

    /** {@code ns::f<int>(char const*) const} -> {@code ns::f<int>}; {@code operator()} keeps its parentheses. */
    static String bare(String function) {
        int from = function.indexOf("operator()") >= 0 ? function.indexOf("operator()") + "operator()".length() : 0;
        int paren = function.indexOf('(', from);
        return paren < 0 ? function : function.substring(0, paren);
    }
}
