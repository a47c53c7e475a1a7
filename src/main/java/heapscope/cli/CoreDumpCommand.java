package heapscope.cli;

import heapscope.analysis.SiteData;
import heapscope.coredump.CoreDump;
import heapscope.coredump.CoreDumpDecoder;
import heapscope.coredump.CoreDumpException;
import heapscope.coredump.CoreDumpText;
import heapscope.coredump.CrashAnalysis;
import heapscope.coredump.TcbLayouts;
import heapscope.coredump.heap.CrashHeap;
import heapscope.demangle.Demangler;
import heapscope.elf.ElfFormatException;
import heapscope.log.FailedAllocation;
import heapscope.report.CoreDumpJson;
import heapscope.report.CoreDumpReport;
import heapscope.report.Escape;
import heapscope.source.InputException;
import heapscope.source.InputFiles;
import heapscope.symbols.Symbolizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** {@code heapscope coredump}: an ESP-IDF core dump decoded and unwound without GDB. */
@Command(name = "coredump", mixinStandardHelpOptions = true,
        description = {"Decodes an ESP-IDF core dump: the crashed task, panic reason, registers, every task's backtrace, "
                + "the task table and the memory regions, as espcoredump.py info_corefile prints them, without GDB. A dump "
                + "that saved DRAM (CONFIG_ESP_COREDUMP_CAPTURE_DRAM) also shows the heap at the crash, region by region, "
                + "and a standalone heap trace's records by call site.",
                "FILE is a serial log holding a CORE DUMP START block, a base64 file, a coredump partition image "
                        + "(esptool read_flash) or a core ELF; ELF and legacy binary dump formats."})
public final class CoreDumpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The core dump, or a log that contains one.")
    Path file;

    @Option(names = "--elf", required = true, paramLabel = "FILE", description = "The application ELF the firmware was built as.")
    Path elf;

    @Option(names = "--rom-elf", paramLabel = "FILE", description = "The chip's ROM ELF (ESP-IDF's esp-rom-elfs), to name ROM functions.")
    Path romElf;

    @Option(names = "--dump", paramLabel = "N", defaultValue = "1",
            description = "Which core dump of a log that holds several (a device that crashed again and again): 1 for the "
                    + "first, 2 for the second, ..., or last. Default: ${DEFAULT-VALUE}.")
    String which;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (espcoredump's sections, then the heap at the crash) or json (the same, for scripts and CI; "
                    + "docs/coredump.md). Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        try {
            if (!format.equals("text") && !format.equals("json")) {
                throw new InputException("unknown --format '" + format + "': text or json");
            }
            Reading r = read(InputFiles.readable(file), InputFiles.readable(elf), romElf == null ? null : InputFiles.readable(romElf),
                    which, w -> System.err.println("heapscope: warning: " + Escape.terminal(file + ": " + w)));
            if (format.equals("json")) {
                new CoreDumpJson(r.report(), Common.version()).write(r.result(), r.heap(), out);
            } else {
                r.write(out);
            }
            return 0;
        } catch (CoreDumpException | ElfFormatException | InputException e) {
            out.flush();
            System.err.println("heapscope coredump: " + Escape.terminal(e.getMessage()));
            return 2;
        } catch (IOException e) {
            out.flush();
            System.err.println("heapscope coredump: " + Escape.terminal(file + ": cannot read: " + e.getMessage()));
            return 2;
        }
    }

    private static int parseIndex(String which) {
        try {
            return Integer.parseInt(which);
        } catch (NumberFormatException e) {
            throw new InputException("--dump " + which + ": give a number from 1, or last");
        }
    }

    /** Everything the command prints, read: the crash, and the heap at it. */
    public record Reading(CoreDumpReport report, CrashAnalysis.Result result, CoreDumpReport.HeapParts heap) {
        public void write(PrintWriter out) {
            report.write(result, heap, out);
        }
    }

    /**
     * What {@code heapscope coredump FILE --elf ELF [--rom-elf ROM] [--dump WHICH]} reads, as {@code bench coredump}
     * times it too; {@code warn} gets each line of the dump's base64 block that is not base64, before the dump is
     * decoded, and which dump of several this is.
     */
    public static Reading read(Path file, Path elf, Path romElf, String which, Consumer<String> warn) throws IOException {
        byte[] content = Files.readAllBytes(file);
        List<CoreDumpText.Found> all = CoreDumpText.all(file, content);
        int n = which.equals("last") ? all.size() : parseIndex(which);
        if (n < 1 || n > all.size()) {
            throw new InputException(file + ": --dump " + which + ": it holds " + all.size() + (all.size() == 1 ? " core dump" : " core dumps"));
        }
        CoreDumpText.Found found = all.get(n - 1);
        if (all.size() > 1) {
            warn.accept("it holds " + all.size() + " core dumps (at lines " + String.join(", ", all.stream().map(f -> String.valueOf(f.line()))
                    .toList()) + "): this is number " + n + ", at line " + found.line() + " (--dump N or --dump last for another)");
        }
        found.warnings().forEach(warn);
        CoreDump dump = CoreDumpDecoder.decode(file, found.bytes());
        Symbolizer app = Symbolizer.open(elf, Demangler::demangle);
        List<Symbolizer> symbolizers = new ArrayList<>(List.of(app));
        if (romElf != null) {
            symbolizers.add(Symbolizer.open(romElf, Demangler::demangle));
        }
        CrashAnalysis.Result result = CrashAnalysis.analyze(dump, app, TcbLayouts.of(app));
        long failedLine = 0;
        FailedAllocation failed = null;
        if (found.line() > 0) { // the last failure the log reports before the dump
            String[] lines = new String(content, StandardCharsets.ISO_8859_1).split("\r?\n", found.line());
            for (int i = 0; i < lines.length - 1; i++) {
                Optional<FailedAllocation> f = FailedAllocation.in(lines[i]);
                if (f.isPresent()) {
                    failed = f.get();
                    failedLine = i + 1;
                }
            }
        }
        Predicate<String> allocator = SiteData.load(null, null)::allocator;
        CoreDumpReport report = new CoreDumpReport(symbolizers, allocator);
        CrashHeap heap = CrashHeap.read(dump.memory(), app, report::callerFrames, allocator, result.otherFirmware(),
                failed == null ? -1 : failed.size(), failed == null ? -1 : failed.caps());
        return new Reading(report, result, new CoreDumpReport.HeapParts(heap, failed, failedLine));
    }
}
