package heapscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.IOptionRenderer;
import picocli.CommandLine.Help.IParameterRenderer;
import picocli.CommandLine.Help.Layout;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How every command's help is laid out: as wide as the terminal (80 columns when it is not one); each element of a
 * description or footer is a paragraph, wrapped by words, a list item's continuation lines under its text (after
 * its "- " or its name column); wrapped option descriptions and command summaries continue under their first line.
 */
final class HelpFormat {
    /** Width when standard output is not a terminal (a pipe, a file, a test). */
    static final int DEFAULT_WIDTH = 80;
    /** What a list item's continuation lines hang under: leading blanks, then "- " or a name and 2+ spaces. */
    private static final Pattern HANG = Pattern.compile("^ *(?:- |\\S+ {2,})?");

    private HelpFormat() {
    }

    /** Applies the layout to CL and every command under it (call after adding the subcommands). */
    static void apply(CommandLine cl) {
        cl.setUsageHelpAutoWidth(true);
        cl.setUsageHelpWidth(DEFAULT_WIDTH);
        cl.setHelpFactory(Aligned::new);
        paragraphs(cl);
    }

    private static void paragraphs(CommandLine cl) {
        Map<String, IHelpSectionRenderer> sections = cl.getHelpSectionMap();
        sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                help -> wrap(help.commandSpec().usageMessage().description(), help.commandSpec().usageMessage().width()));
        sections.put(UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> wrap(help.commandSpec().usageMessage().footer(), help.commandSpec().usageMessage().width()));
        cl.setHelpSectionMap(sections);
        cl.getSubcommands().values().forEach(HelpFormat::paragraphs);
    }

    /** The paragraphs wrapped to WIDTH columns, one line break after each ({@code %n} breaks one, as in picocli). */
    static String wrap(String[] paragraphs, int width) {
        StringBuilder out = new StringBuilder();
        for (String p : Arrays.stream(paragraphs).flatMap(p -> Arrays.stream(p.split("%n", -1))).toList()) {
            Matcher m = HANG.matcher(p);
            int hang = m.lookingAt() && m.end() <= width / 2 ? m.end() : 0;
            List<String> lines = lines(p.substring(hang), width - hang);
            String first = p.substring(0, hang) + (lines.isEmpty() ? "" : lines.get(0));
            out.append(first.stripTrailing()).append(System.lineSeparator());
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                out.append(" ".repeat(hang)).append(line).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    /**
     * TEXT's words in lines of at most WIDTH characters, broken at spaces only (a word longer than that alone on its
     * line): picocli's own wrapping also breaks inside words, after the colon of "host:port" or the dot of "e.g.".
     */
    static List<String> lines(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Rows of an option or parameter with the description (the last column) wrapped by {@link #lines}, one row a line. */
    private static Text[][] rewrapped(Text[][] rows, int width, ColorScheme scheme) {
        List<Text[]> out = new ArrayList<>();
        for (Text[] row : rows) {
            int last = row.length - 1;
            List<String> lines = lines(row[last].plainString(), width);
            for (int i = 0; i < Math.max(1, lines.size()); i++) {
                Text[] r = i == 0 ? row.clone() : new Text[row.length];
                for (int c = 0; i > 0 && c < last; c++) {
                    r[c] = scheme.text("");
                }
                r[last] = scheme.text(lines.isEmpty() ? "" : lines.get(i));
                out.add(r);
            }
        }
        return out.toArray(Text[][]::new);
    }

    /** Picocli's help, with wrapped lines of the option and command lists under their first line, not 2 further in. */
    private static final class Aligned extends Help {
        Aligned(CommandSpec spec, ColorScheme scheme) {
            super(spec, scheme);
        }

        @Override
        public Layout createDefaultLayout() {
            return aligned(super.createDefaultLayout());
        }

        @Override
        public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals, ColorScheme scheme) {
            return aligned(super.createDefaultLayout(options, positionals, scheme));
        }

        /** One entry per subcommand: its names, then its summary, wrapped under the summary's first line. */
        @Override
        public String commandList(Map<String, Help> subcommands) {
            int names = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
            String[] entries = subcommands.entrySet().stream().map(e -> {
                CommandSpec spec = e.getValue().commandSpec();
                String[] summary = spec.usageMessage().header().length > 0 ? spec.usageMessage().header() : spec.usageMessage().description();
                return "  " + e.getKey() + " ".repeat(names - e.getKey().length() + 2) + (summary.length > 0 ? summary[0] : "");
            }).toArray(String[]::new);
            return entries.length == 0 ? "" : wrap(entries, commandSpec().usageMessage().width());
        }

        private static Layout aligned(Layout layout) {
            TextTable table = layout.textTable();
            table.indentWrappedLines = 0;
            Help.Column description = table.columns()[table.columns().length - 1];
            int width = description.width - description.indent;
            ColorScheme scheme = layout.colorScheme();
            IOptionRenderer options = layout.optionRenderer();
            IParameterRenderer parameters = layout.parameterRenderer();
            return new Layout(scheme, table, (option, label, s) -> rewrapped(options.render(option, label, s), width, s),
                    (parameter, label, s) -> rewrapped(parameters.render(parameter, label, s), width, s));
        }
    }
}
