package heapscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's help fits the terminal, says whole sentences, and its wrapped lines continue where they started. */
class HelpTextTest {
    /** A list or table item of a description: "- ..." or "  name  text". */
    private static final Pattern ITEM = Pattern.compile("^ *(?:- |\\S+ {2,})");

    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandLine> all) {
        all.add(cl);
        cl.getSubcommands().values().forEach(c -> collect(c, all));
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {80, 110})
    void fitsTheWidthAndWrappedLinesAlign(int width) {
        for (CommandLine cl : everyCommand()) {
            cl.setUsageHelpWidth(width);
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = cl.getCommandSpec().qualifiedName();
            for (String line : help.lines().toList()) {
                assertThat(line.length()).as(name + ": " + line).isLessThanOrEqualTo(width);
            }
            continuationLinesAlign(name, help);
            for (String word : words(cl.getCommandSpec())) {
                assertThat(help).as(name + ": a word broken across lines").contains(word);
            }
        }
    }

    /** Every word the command's help says, as written. */
    private static List<String> words(CommandSpec spec) {
        List<String> text = new ArrayList<>(List.of(spec.usageMessage().description()));
        text.addAll(List.of(spec.usageMessage().footer()));
        spec.options().forEach(o -> text.addAll(List.of(o.description())));
        spec.positionalParameters().forEach(p -> text.addAll(List.of(p.description())));
        return text.stream().flatMap(t -> Arrays.stream(t.replace("%n", " ").split(" +"))).filter(w -> !w.isEmpty()).toList();
    }

    /** Cut into line-sized pieces, a description is cut mid-sentence wherever the width differs from the author's. */
    @Test
    void everyDescriptionIsWholeSentences() {
        for (CommandLine cl : everyCommand()) {
            CommandSpec spec = cl.getCommandSpec();
            String name = spec.qualifiedName();
            List<String> paragraphs = new ArrayList<>(List.of(spec.usageMessage().description()));
            paragraphs.addAll(List.of(spec.usageMessage().footer()));
            assertThat(spec.usageMessage().description()).as(name).isNotEmpty();
            assertThat(spec.usageMessage().description()[0]).as(name + ": the summary in its command list").endsWith(".");
            for (String p : paragraphs.stream().map(p -> p.replace("%n", "")).toList()) {
                if (!p.isBlank() && !ITEM.matcher(p).lookingAt()) {
                    assertThat(p).as(name).matches("(?s).*[.:;]");
                }
            }
            List<ArgSpec> args = new ArrayList<>(spec.options());
            args.addAll(spec.positionalParameters());
            for (ArgSpec a : args) {
                assertThat(a.description()).as(name + " " + a.paramLabel() + ": one element, wrapped by picocli").hasSize(1);
            }
        }
    }

    @Test
    void listItemsHangUnderTheirText() {
        String wrapped = HelpFormat.wrap(new String[] {"A sentence of several words.", "- an item of several words",
                "  pprof   gzipped profile for go tool pprof", ""}, 20);
        assertThat(wrapped.lines().toList()).containsExactly("A sentence of", "several words.", "- an item of several", "  words",
                "  pprof   gzipped", "          profile", "          for go", "          tool pprof", "");
    }

    @Test
    void noCommandIsAMistakeThatShowsTheCommands() {
        CliRun run = CliRun.of();
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Usage: heapscope").contains("\n  analyze ").contains("\n  symbolize ");
        assertThat(CliRun.of("--help").status()).isZero();
    }

    /**
     * In the option and command lists (and the synopsis), each line that continues an entry starts where the
     * entry's description (or, when the names fill the row, its first continuation line) starts.
     */
    private static void continuationLinesAlign(String name, String help) {
        int expected = -1;
        for (String line : help.lines().toList()) {
            int indent = line.length() - line.stripLeading().length();
            if (line.isBlank() || indent < 8) {
                expected = line.isBlank() ? -1 : descriptionColumn(line);
                continue;
            }
            if (expected < 0) {
                expected = indent;
            }
            assertThat(indent).as(name + ": " + line).isEqualTo(expected);
        }
    }

    /** Where the text after an entry's names starts (after the first run of 2+ spaces), or -1. */
    private static int descriptionColumn(String row) {
        int start = row.length() - row.stripLeading().length();
        int gap = row.indexOf("  ", start);
        if (gap < 0) {
            return -1;
        }
        int column = gap;
        while (column < row.length() && row.charAt(column) == ' ') {
            column++;
        }
        return column < row.length() ? column : -1;
    }
}
