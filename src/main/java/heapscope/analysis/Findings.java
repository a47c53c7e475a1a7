package heapscope.analysis;

import heapscope.coredump.CoreDump;
import heapscope.coredump.CoreDumpDecoder;
import heapscope.coredump.CoreDumpException;
import heapscope.coredump.CrashAnalysis;
import heapscope.coredump.heap.CrashHeap;
import heapscope.symbols.ElfCheck;
import heapscope.symbols.FrameTable;
import heapscope.symbols.Symbolizer;
import heapscope.trace.Alloc;
import heapscope.trace.Condition;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;
import heapscope.trace.Warning;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything the reports and exports of one capture show, assembled in one place: the leak report, the ELF checked
 * against the capture, every frame resolved once, the breakdown by allocation site with its rules and libraries,
 * the accepted (suppressed) leaks and the budget checks. Renderers only write what this holds.
 *
 * @param frames     the capture's frames; from the ELF only when it passed the check (a wrong ELF's names look
 *                   right and are not, so the report shows raw addresses instead), else those the log named
 * @param sites      the breakdown by allocation site; null when nothing names the frames
 * @param suppressed stack id to the suppression that accepts it
 * @param notices    what the ELF check found that this call added to the recording, for standard error: a run
 *                   whose report goes elsewhere still says it
 * @param siteData   the allocator list and rules the sites were found with, for the formats that mark or drop
 *                   allocator frames themselves (pprof, the HTML flame graph); null when none were loaded
 * @param crashHeaps the heap of each core dump the capture printed, by the line it was printed at, read with the ELF
 *                   that passed the check; empty without one
 */
public record Findings(LeakReport report, FrameTable frames, SiteReport sites, Map<Integer, String> suppressed, List<Budgets.Check> checks,
                       List<String> notices, SiteData siteData, Map<Long, CrashHeap> crashHeaps) {
    public Findings {
        crashHeaps = Map.copyOf(crashHeaps);
    }

    /** Reads the whole capture in one pass and judges it. */
    public static Findings of(EventReader reader, ReportSettings settings) throws IOException {
        return of(settings.analysis().read(settings.stacks(reader)), settings);
    }

    /** Judges a report already made (the monitor's, from its own analysis thread). */
    public static Findings of(LeakReport report, ReportSettings settings) throws IOException {
        List<String> notices = new ArrayList<>();
        LossCertainty.apply(report);
        Symbolizer usable = checkElf(report.recording(), settings, notices);
        FrameTable frames = FrameTable.of(usable, report.chip(), report.recording().logNames(), settings.linkMap());
        Map<Long, CrashHeap> crashHeaps = usable != null ? crashHeaps(report.recording(), usable, frames, settings.siteData()) : Map.of();
        boolean named = frames.names() != FrameTable.Names.NONE && settings.siteData() != null;
        SiteReport sites = named ? SiteAnalysis.of(report, frames::callerFrames, settings.siteData(), address -> settings.linkMap() == null
                ? null : settings.linkMap().component(FrameTable.callInstruction(address)).orElse(null)) : null;
        Map<Integer, String> suppressed = settings.suppressions().match(report, named ? frames::callerFrames : null);
        return new Findings(report, frames, sites, suppressed, settings.budgets().check(report, suppressed), List.copyOf(notices),
                settings.siteData(), crashHeaps);
    }

    /** Reads the heap of each core dump the capture printed, now that the ELF gives the layouts. */
    private static Map<Long, CrashHeap> crashHeaps(Recording recording, Symbolizer elf, FrameTable frames, SiteData siteData) {
        Predicate<String> allocator = siteData == null ? function -> false : siteData::allocator;
        Map<Long, CrashHeap> heaps = new HashMap<>();
        for (Map.Entry<Long, Recording.KeptCoreDump> e : recording.coreDumps().entrySet()) {
            CoreDump dump;
            try {
                dump = CoreDumpDecoder.decode(Path.of("line " + e.getKey()), e.getValue().bytes());
            } catch (CoreDumpException damaged) {
                continue; // kept only once decoded, so this does not happen; the decoder's warnings are in the recording
            }
            Alloc failed = e.getValue().failedBefore();
            heaps.put(e.getKey(), CrashHeap.read(dump.memory(), elf, frames::callerFrames, allocator,
                    CrashAnalysis.firmwareMismatch(dump, elf).orElse(null), failed == null ? -1 : failed.size(),
                    failed == null ? -1 : failed.caps()));
        }
        return heaps;
    }

    /**
     * Notes every sign that the ELF is not the capture's firmware, and every place its debug information is
     * damaged, in the recording; once, as the monitor's reports all come from one recording. Returns the
     * symbolizer when its names can be used.
     */
    private static Symbolizer checkElf(Recording recording, ReportSettings settings, List<String> notices) throws IOException {
        Symbolizer symbolizer = settings.symbolizer();
        if (symbolizer == null) {
            return null;
        }
        List<Condition> problems = ElfCheck.problems(settings.elf(), symbolizer, recording);
        for (Condition c : problems) {
            if (!recording.conditions().contains(c)) {
                recording.note(c);
                notices.add(c.headline());
            }
        }
        for (String damage : symbolizer.damage()) {
            Warning w = new Warning(settings.elf().toString(), Warning.Unit.NONE, -1, damage);
            if (!recording.warnings().contains(w)) {
                recording.warn(w);
                notices.add(w.format());
            }
        }
        if (!problems.isEmpty()) {
            recording.stacks().withdrawInferred(); // completion ran while the capture streamed, before the ELF could be judged
        }
        return problems.isEmpty() ? symbolizer : null;
    }
}
