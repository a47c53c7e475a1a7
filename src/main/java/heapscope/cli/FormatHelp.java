package heapscope.cli;

import heapscope.report.Named;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A command whose --format values come from a registry: its help lists them from the same registry. */
interface FormatHelp {
    /** Each format's name and one line about it, in the registry's order. */
    Map<String, String> formats();

    /** Appends the list of formats to the command's description. */
    static void describe(CommandSpec spec, Map<String, String> formats) {
        List<String> lines = new ArrayList<>(List.of(spec.usageMessage().description()));
        lines.add("");
        lines.add("FORMAT is one of:");
        int width = formats.keySet().stream().mapToInt(String::length).max().orElse(0);
        formats.forEach((name, summary) -> lines.add(String.format("  %-" + width + "s  %s", name, summary)));
        spec.usageMessage().description(lines.toArray(String[]::new));
    }

    /** Name to summary of a registry's entries. */
    static Map<String, String> of(List<? extends Named> registry) {
        Map<String, String> out = new LinkedHashMap<>();
        registry.forEach(t -> out.put(t.name(), t.summary()));
        return out;
    }
}
