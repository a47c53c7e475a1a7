package heapscope.cli;

import heapscope.capture.CaptureSettings;
import heapscope.capture.Captures;
import heapscope.analysis.Findings;
import heapscope.analysis.LeakDiff;
import heapscope.analysis.LeakReport;
import heapscope.analysis.ReportSettings;
import heapscope.report.DiffReport;
import heapscope.report.Escape;
import heapscope.report.HtmlDiffReport;
import heapscope.source.InputException;
import heapscope.source.OutputFiles;
import heapscope.trace.EventReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
                        + "addresses (one build)."},
        footer = {"", "Exit status: 0 compared (and no site new or grown when --fail-on-growth), 3 a site is new or grown "
                + "with --fail-on-growth, 2 unusable input or arguments, 1 internal error."})
final class DiffCommand implements Callable<Integer> {
    @CommandLine.Mixin
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

    @Option(names = "--fail-on-growth", description = "exit with status 3 when a site is new or leaks more")
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
        ReportSettings sb = options.settings(eb, chip, null);
        ReportSettings sa = ea == null || ea.equals(eb) ? sb : options.settings(ea, chip, null); // one build: its ELF parsed once
        Findings fb = read(before, sb);
        Findings fa = read(after, sa);
        LeakReport rb = fb.report();
        LeakReport ra = fa.report();
        // sites of one capture and call stacks of the other never match: without a usable ELF for both, compare stacks
        LeakDiff diff = fb.sites() == null || fa.sites() == null ? LeakDiff.of(LeakDiff.items(rb), LeakDiff.items(ra))
                : LeakDiff.of(LeakDiff.items(fb.sites()), LeakDiff.items(fa.sites()));
        warnings("BEFORE", rb, "new or grown");
        warnings("AFTER", ra, "fixed or shrunk");
        try (PrintWriter out = Common.output(output)) {
            if (format.equals("html")) {
                HtmlDiffReport.write(diff, before, after, Common.version(), out);
            } else {
                DiffReport.write(diff, before, after, format.equals("json"), Common.version(), out);
            }
        }
        int status = 0;
        if (failOnGrowth) { // why the run fails, as analyze says which budget was exceeded
            for (LeakDiff.Entry e : diff.entries()) {
                if (e.status() == LeakDiff.Status.NEW || e.status() == LeakDiff.Status.GROWN) {
                    status = AnalyzeCommand.BUDGET_EXCEEDED;
                    System.err.println("heapscope: --fail-on-growth: " + e.status().name().toLowerCase(Locale.ROOT) + ": "
                            + Escape.terminal(e.label()) + ": " + e.beforeBytes() + " -> " + e.afterBytes() + " bytes");
                }
            }
        }
        return strict.status(status, rb.recording(), ra.recording());
    }

    /** A damaged capture loses events, and the diff would count the loss as a change in LOOKS. */
    private static void warnings(String which, LeakReport report, String looks) {
        Common.warnings(report.recording());
        if (!report.recording().complete()) {
            System.err.println("heapscope: warning: " + which + " is incomplete (see above): a site may show as " + looks
                    + " only because events were lost or unseen");
        }
    }

    private static Findings read(String capture, ReportSettings settings) throws Exception {
        try (EventReader reader = Captures.open(Arrays.asList(capture.split(",")), CaptureSettings.heap())) {
            Findings found = Findings.of(reader, settings);
            Common.notices(found);
            return found;
        }
    }
}
