package heapscope.analysis;

import heapscope.chip.Chip;
import heapscope.trace.EventReader;
import heapscope.symbols.LinkMap;
import heapscope.symbols.Symbolizer;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What a capture's findings are judged with, loaded once per command (the monitor reports several times with
 * them): how to analyse, the firmware, the allocator list and leak rules, the accepted leaks and the budgets.
 *
 * @param chip        memory map when the capture does not name one, or null
 * @param cycleMarker lines or print events that start a cycle of work, or null
 * @param elf         the firmware ELF, or null; {@code symbolizer} is open on it
 * @param linkMap     the firmware's link map (library of each site), or null
 * @param siteData    allocator functions and known leak patterns (used when the ELF or the log names the frames; null: no breakdown by site)
 * @param temporary   when an allocation freed soon after counts as temporary (--temporary)
 */
public record ReportSettings(Chip chip, Pattern cycleMarker, CycleAnalysis.Options cycles, Path elf, Symbolizer symbolizer,
                             LinkMap linkMap, SiteData siteData, Suppressions suppressions, Budgets budgets, StackOptions stacks,
                             TemporaryRule temporary) {
    /** The capture as the analysis reads it: stacks cut and completed as asked (the one place every command gets them). */
    public EventReader stacks(EventReader decoded) {
        return stacks.apply(decoded, symbolizer);
    }

    /** A fresh single-pass analysis for one capture. */
    public LeakAnalysis analysis() {
        return new LeakAnalysis(chip, cycleMarker, cycles, temporary);
    }
}
