package heapscope.cli;

import heapscope.analysis.Budgets;
import heapscope.analysis.CycleAnalysis;
import heapscope.analysis.Findings;
import heapscope.analysis.ReportSettings;
import heapscope.analysis.SiteData;
import heapscope.analysis.Suppressions;
import heapscope.analysis.TemporaryRule;
import heapscope.report.HtmlReport;
import heapscope.report.Renderer;
import heapscope.source.InputException;
import heapscope.source.InputFiles;
import heapscope.symbols.LinkMap;
import heapscope.symbols.Symbolizer;
import heapscope.demangle.Demangler;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The options that decide what a leak report finds and judges, shared by analyze and the monitor's final report,
 * so that both give the same report of the same capture. Commands without these options (export, diff) take the
 * defaults of a new instance, with their own --stack-depth or cycle counting set.
 */
final class FindingsOptions {
    @Option(names = "--map", paramLabel = "FILE", description = "with --elf: the firmware's link map (build/<app>.map), for the library of each site")
    Path map;

    @Option(names = "--allocators", paramLabel = "FILE", description = "with --elf: more allocator functions, one pattern a line (see docs/analysis.md)")
    Path allocators;

    @Option(names = "--rules", paramLabel = "FILE", description = "with --elf: more known leak signatures (see docs/analysis.md)")
    Path rules;

    @Option(names = "--suppress", paramLabel = "FILE", description = "accepted leaks, one leak:PATTERN a line (LeakSanitizer format): kept out of budgets")
    Path suppress;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N", description = "call stacks shown in full in the text report, 0 for all (default 20)")
    int top = 20;

    @Option(names = "--blocks", description = "also list every leaked block, one line each")
    boolean blocks;

    @Mixin
    CycleOptions cycles = new CycleOptions();

    @Option(names = "--html-rows", defaultValue = "" + HtmlReport.DEFAULT_ROWS, paramLabel = "N",
            description = "HTML: leak sites, call stacks and blocks the page holds, largest first, 0 for all (default 5000; totals stay exact)")
    int htmlRows = HtmlReport.DEFAULT_ROWS;

    @Option(names = "--temporary", defaultValue = "0", paramLabel = "N|Nus|Nms",
            description = "an allocation is temporary when freed with at most N other allocations in between (default 0, heaptrack's rule), or within N us/ms")
    String temporary = "0";

    @Option(names = "--free-heap", paramLabel = "BYTES", description = "with --cycle: free heap to forecast from (default: lowest reading in the capture)")
    String freeHeap;

    @Option(names = "--max-leaked-bytes", paramLabel = "BYTES", description = "budget: exit with status 3 when more bytes leak (BYTES: e.g. 4096, 64k, 2M)")
    String maxLeakedBytes;

    @Option(names = "--max-leak-per-cycle", paramLabel = "BYTES", description = "budget: exit with status 3 when the steady leak per --cycle is larger")
    String maxLeakPerCycle;

    @Option(names = "--max-site-bytes", paramLabel = "BYTES", description = "budget: exit with status 3 when one call stack leaks more")
    String maxSiteBytes;

    @Option(names = "--junit", paramLabel = "FILE", description = "write the budget checks as JUnit XML for CI")
    Path junit;

    @Option(names = "--source-root", paramLabel = "DIR", description = "sarif, github, gcc and html formats: source paths under DIR, "
            + "as the ELF spells them (the build's checkout, e.g. /project in ESP-IDF's Docker image), are written relative to it; html links sites to VS Code")
    String sourceRoot;

    @Mixin
    StacksOptions stacks = new StacksOptions();

    /** What the report says besides the findings. */
    Renderer.Context context(boolean color, List<String> inputs) {
        return new Renderer.Context(Common.version(), top, blocks, color, inputs, sourceRoot, htmlRows);
    }

    /** The budget checks as JUnit XML, when --junit FILE asks for them. */
    void junit(Findings findings, List<String> inputs) throws IOException {
        if (junit != null) {
            try (Writer w = Files.newBufferedWriter(junit)) {
                Renderer.named("junit").write(findings, context(false, inputs), w);
            }
        }
    }

    /**
     * Checks the options and loads what they name, once: the ELF (opened, not yet checked against a capture), the
     * link map, allocators, rules and suppressions.
     *
     * @param elf   --elf, or null
     * @param chip  --chip, or null
     * @param cycle --cycle, or null
     */
    ReportSettings settings(Path elf, String chip, String cycle) throws IOException {
        Pattern marker = cycle == null ? null : Common.regex("--cycle", cycle);
        if (htmlRows < 0) {
            throw new InputException("--html-rows must be 0 (all) or more");
        }
        if (maxLeakPerCycle != null && marker == null) {
            throw new InputException("--max-leak-per-cycle needs --cycle REGEX to mark the cycles");
        }
        TemporaryRule rule = TemporaryRule.parse(temporary);
        if (rule == null) {
            throw new InputException("--temporary must be a count of allocations (0, 5) or a time (100us, 2ms), not '" + temporary + "'");
        }
        Budgets budgets = new Budgets(Common.bytes("--max-leaked-bytes", maxLeakedBytes),
                Common.bytes("--max-leak-per-cycle", maxLeakPerCycle), Common.bytes("--max-site-bytes", maxSiteBytes));
        CycleAnalysis.Options counting = cycles.options(Common.bytes("--free-heap", freeHeap));
        Symbolizer symbolizer = elf == null ? null : Symbolizer.open(InputFiles.readable(elf), Demangler::demangle);
        LinkMap linkMap = map == null ? null : LinkMap.read(map);
        SiteData siteData = SiteData.load(allocators, rules); // also without an ELF: the log may name the frames
        return new ReportSettings(Common.chip(chip), marker, counting, elf, symbolizer, linkMap, siteData, Suppressions.load(suppress), budgets,
                stacks.get(), rule);
    }
}
