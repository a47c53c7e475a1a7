package heapscope.cli;

import heapscope.analysis.Findings;
import heapscope.analysis.LeakDiff;
import heapscope.analysis.LeakReport;
import heapscope.analysis.ReportSettings;
import heapscope.capture.CaptureSettings;
import heapscope.capture.Captures;
import heapscope.report.DiffReport;
import heapscope.report.Escape;
import heapscope.report.HtmlDiffReport;
import heapscope.source.InputException;
import heapscope.source.OutputFiles;
import heapscope.trace.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares the leaks of two captures, site by site: which a fix removed, which are new, grown or shrunk.",
                "BEFORE and AFTER are captures as analyze takes them; several files of one capture are joined with a comma "
                        + "(cpu0.svdat,cpu1.svdat).",
                "With ELFs, sites are matched by function and source file, so two builds compare; without, by call stack "
                        + "addresses (one build). With --cycle, also the steady leak per cycle of each, as analyze measures it: "
                        + "a fix is proved per cycle, whatever the number of cycles each capture ran."},
        footer = {"", "Exit status: 0 compared (and nothing grew when --fail-on-growth), 3 growth with --fail-on-growth "
                + "(the reason on standard error), 2 unusable input or arguments, 1 internal error."})
final class DiffCommand implements Callable<Integer> {
    @Mixin
    StacksOptions stacks = new StacksOptions();

    @Mixin
    StrictOption strict;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "the capture before the change")
    String before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "the capture after the change")
    String after;

    @Option(names = "--elf", paramLabel = "FILE", description = "firmware ELF of both captures (same build)")
    Path elf;

    @Option(names = "--elf-before", paramLabel = "FILE", description = "firmware ELF of BEFORE")
    Path elfBefore;

    @Option(names = "--elf-after", paramLabel = "FILE", description = "firmware ELF of AFTER")
    Path elfAfter;

    @Option(names = "--allocators", paramLabel = "FILE", description = "more allocator functions (see analyze --help)")
    Path allocators;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map when the captures do not name it")
    String chip;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text (default), json or html")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output ('-': standard output); never an input")
    Path output;

    @Option(names = "--cycle", paramLabel = "REGEX", description = "log lines or trace print events matching this start a cycle of "
            + "work (see analyze --help): the steady leak per cycle of each capture and its change")
    String cycle;

    @Mixin
    CycleOptions cycles;

    @Mixin
    HeapEventsOption heapEvents;

    @Option(names = "--fail-on-growth", description = "exit with status 3 when a site is new or leaks more; with --cycle, when "
            + "the leak per cycle is larger or a site is new (a site's total grows with the cycles run: it counts when both "
            + "ran as many)")
    boolean failOnGrowth;

    @Override
    public Integer call() throws Exception {
        CaptureOptions.checkFormat(format, "text", "json", "html");
        List<String> captures = new ArrayList<>(Arrays.asList(before.split(",")));
        captures.addAll(Arrays.asList(after.split(",")));
        OutputFiles.check(OutputFiles.inputs(captures, elf, elfBefore, elfAfter, allocators), new OutputFiles.Target("-o", output));
        Path eb = elfBefore != null ? elfBefore : elf;
        Path ea = elfAfter != null ? elfAfter : elf;
        if ((eb == null) != (ea == null)) {
            throw new InputException("give an ELF for both captures (--elf, or --elf-before and --elf-after)");
        }
        FindingsOptions options = new FindingsOptions();
        options.allocators = allocators;
        options.cycles = cycles;
        options.stacks = stacks;
        ReportSettings sb = options.settings(eb, chip, cycle);
        ReportSettings sa = ea == null || ea.equals(eb) ? sb : options.settings(ea, chip, cycle); // one build: its ELF parsed once
        Findings fb = read(before, sb);
        Findings fa = read(after, sa);
        LeakDiff diff = LeakDiff.of(fb, fa, cycle);
        warnings("BEFORE", fb.report());
        warnings("AFTER", fa.report());
        try (PrintWriter out = Common.output(output)) {
            if (format.equals("html")) {
                HtmlDiffReport.write(diff, before, after, Common.version(), out);
            } else {
                DiffReport.write(diff, before, after, format.equals("json"), Common.version(), out);
            }
        }
        int status = failOnGrowth && growth(diff) ? AnalyzeCommand.BUDGET_EXCEEDED : 0;
        return strict.status(status, fb.report().recording(), fa.report().recording());
    }

    /**
     * Whether AFTER leaks more than BEFORE, each reason on standard error, as analyze says which budget was exceeded.
     * Per cycle when both captures have a steady figure: site totals then grow with the number of cycles run, so a
     * grown site counts only when both ran as many; a new site always counts.
     */
    private static boolean growth(LeakDiff diff) {
        LeakDiff.Cycles c = diff.cycles();
        boolean perCycle = c != null && c.measured();
        boolean grown = false;
        if (c != null && !perCycle) {
            System.err.println("heapscope: --fail-on-growth: no steady leak per cycle in " + (c.before().measured() ? "AFTER" : c.after().measured() ? "BEFORE" : "BEFORE and AFTER")
                    + " (too few cycles marked): the sites' totals are checked instead");
        }
        if (perCycle && c.grown()) {
            grown = true;
            System.err.println("heapscope: --fail-on-growth: leak per cycle ('" + Escape.terminal(c.marker()) + "'): "
                    + c.before().bytes() + " -> " + c.after().bytes() + " bytes");
        }
        boolean sitesCompare = !perCycle || c.before().marked() == c.after().marked();
        long uncounted = 0;
        for (LeakDiff.Entry e : diff.entries()) {
            if (e.status() == LeakDiff.Status.NEW || e.status() == LeakDiff.Status.GROWN && sitesCompare) {
                grown = true;
                System.err.println("heapscope: --fail-on-growth: " + e.status().name().toLowerCase(Locale.ROOT) + ": "
                        + Escape.terminal(e.label()) + ": " + e.beforeBytes() + " -> " + e.afterBytes() + " bytes");
            } else if (e.status() == LeakDiff.Status.GROWN) {
                uncounted++;
            }
        }
        if (uncounted > 0) {
            System.err.println("heapscope: --fail-on-growth: " + uncounted + " grown " + (uncounted == 1 ? "site" : "sites") + " not counted: BEFORE ran "
                    + c.before().marked() + " cycles, AFTER " + c.after().marked() + "; the leak per cycle is compared instead");
        }
        return grown;
    }

    /** An incomplete capture lost events or never saw them, and the diff would count that as a change of its sites. */
    private void warnings(String which, LeakReport report) {
        strict.warnings(report.recording());
        if (!report.recording().complete()) {
            System.err.println("heapscope: warning: " + which + " is incomplete: a site may show as changed only because "
                    + "events were lost or unseen");
        }
    }

    private Findings read(String capture, ReportSettings settings) throws Exception {
        CaptureSettings what = heapEvents.apply(new CaptureSettings(false, settings.cycleMarker() != null, List.of(), false)); // log lines mark cycles
        try (EventReader reader = Captures.open(Arrays.asList(capture.split(",")), what)) {
            Findings found = Findings.of(reader, settings);
            Common.notices(found);
            return found;
        }
    }
}
