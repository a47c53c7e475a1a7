package heapscope.cli;

import heapscope.demangle.Demangler;
import heapscope.elf.ElfFormatException;
import heapscope.report.Escape;
import heapscope.trace.LogNames;
import heapscope.symbols.FrameTable;
import heapscope.symbols.LinkMap;
import heapscope.symbols.SymbolHit;
import heapscope.symbols.Symbolizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import heapscope.source.InputException;
import heapscope.source.InputFiles;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** {@code heapscope symbolize}: addresses to functions, files and lines, like addr2line -f -i -C -p. */
@Command(name = "symbolize", mixinStandardHelpOptions = true,
        description = {"Resolves addresses to function, file and line (with inlined frames) from a firmware ELF.",
                "Addresses are hexadecimal (0x optional); read from standard input when none are given.",
                "",
                "Addresses are taken as return addresses of a call stack (a heap trace's callers, a report's frames) and "
                        + "looked up at address - 1, their call instruction, as heapscope's reports do; --exact looks up program "
                        + "counters as they are. A backtrace's PC:SP pairs pasted on standard input are program counters, looked "
                        + "up as they are, as the reports' crash backtraces are. Standard error says which rule applied."})
public final class SymbolizeCommand implements Callable<Integer> {
    /** Addresses read from a stream before decoding all units ahead pays off. */
    private static final int PREFETCH_AFTER = 64;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    @Spec
    CommandSpec spec;

    @Option(names = "--elf", required = true, paramLabel = "FILE", description = "Firmware ELF with debug information.")
    Path elf;

    @Option(names = "--json", description = "Print a JSON array instead of text.")
    boolean json;

    @Option(names = {"-a", "--addresses"}, description = "Prefix each result with its address (text output).")
    boolean addresses;

    @Option(names = "--exact", description = "Addresses are program counters: resolve them as they are, not at address - 1.")
    boolean exact;

    @Option(names = "--return-addresses", description = "Addresses are return addresses from a call stack: resolve address - 1 (the default).")
    boolean returnAddresses;

    /** The rules applied so far, each said once on standard error. */
    private final EnumSet<Rule> said = EnumSet.noneOf(Rule.class);
    private PrintWriter err;

    /** How an address is looked up, and how standard error says so. */
    private enum Rule {
        RETURN_ADDRESS("return addresses, looked up at address - 1 (their call instruction) as the reports' call stacks are; --exact for program counters"),
        BACKTRACE_PC("PC:SP pairs of a backtrace: program counters, looked up as they are, as the reports' crash backtraces are");

        final String note;

        Rule(String note) {
            this.note = note;
        }
    }

    @Option(names = "--no-demangle", description = "Print C++ names as mangled in the ELF.")
    boolean noDemangle;

    @Option(names = "--offsets", description = "Code without debug information (radio blobs, assembly): print the offset "
            + "into its symbol too (coex_core_lock+0x46 at coexist_core.o).")
    boolean offsets;

    @Option(names = "--map", paramLabel = "FILE", description = "The firmware's GNU ld link map (build/APP.map): code without "
            + "debug information is named with its object and library (coexist_core.o (libcoexist.a)).")
    Path map;

    @Parameters(paramLabel = "ADDR", description = "Addresses to resolve.")
    List<String> addressArgs = List.of();

    @Override
    public Integer call() throws IOException {
        // Results are encoded to bytes in large blocks and written straight to standard output, flushed
        // only when no more input is waiting: piping 100,000 addresses costs a few writes and no
        // per-line character encoding.
        OutputStream out = System.out;
        err = spec.commandLine().getErr();
        if (exact && returnAddresses) {
            err.println("heapscope symbolize: --exact and --return-addresses exclude each other");
            return 2;
        }
        for (String a : addressArgs) {
            if (parse(a) < 0) {
                err.println("heapscope symbolize: invalid address '" + Escape.terminal(a)
                        + "' (expected a hexadecimal number of at most 16 digits)");
                return 2;
            }
        }
        UnaryOperator<String> demangler = noDemangle ? UnaryOperator.identity() : Demangler::demangle;
        Symbolizer symbolizer;
        try {
            symbolizer = Symbolizer.open(InputFiles.readable(elf), demangler);
        } catch (InputException e) {
            err.println("heapscope symbolize: " + Escape.terminal(e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("heapscope symbolize: " + Escape.terminal(elf + ": cannot read: " + e.getMessage()));
            return 2;
        } catch (ElfFormatException e) {
            err.println("heapscope symbolize: " + Escape.terminal(e.getMessage()));
            return 2;
        }
        LinkMap linkMap;
        try {
            linkMap = map == null ? null : LinkMap.read(InputFiles.readable(map));
        } catch (InputException e) {
            err.println("heapscope symbolize: " + Escape.terminal(e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("heapscope symbolize: " + Escape.terminal(map + ": cannot read: " + e.getMessage()));
            return 2;
        }
        SymbolizeOutput output = json ? new SymbolizeOutput.Json(out) : new SymbolizeOutput.Text(out, addresses, offsets, symbolizer.elf().is64Bit());
        try {
            FrameTable table = FrameTable.of(symbolizer, null, new LogNames(), linkMap);
            if (!addressArgs.isEmpty()) {
                for (String a : addressArgs) {
                    resolve(table, parse(a), !exact, output);
                }
            } else if (!resolveStream(symbolizer, table, output, err)) {
                return 2;
            }
            output.finish();
        } catch (ElfFormatException e) {
            output.finish();
            err.println("heapscope symbolize: " + Escape.terminal(e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("heapscope symbolize: cannot read standard input or write results: " + Escape.terminal(String.valueOf(e.getMessage())));
            return 2;
        }
        return 0;
    }

    /**
     * Resolves the addresses on standard input. Lines pasted from a device log are welcome: a backtrace's PC:SP pairs
     * give their PC, and in a line of other words too ("Backtrace:", "|<-CORRUPTED") only 0x-prefixed words are
     * addresses (a line of addresses alone may be bare hexadecimal, as for addr2line); a line without
     * any address is reported on standard error and skipped. Returns true.
     */
    private boolean resolveStream(Symbolizer symbolizer, FrameTable table, SymbolizeOutput output, PrintWriter err) throws IOException {
        int count = 0;
        long number = 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        while ((line = in.readLine()) != null) {
            number++;
            String[] tokens = line.indexOf(' ') < 0 && line.indexOf('\t') < 0 ? new String[] {line.strip()}
                    : WHITESPACE.split(line.strip());
            long[] parsed = new long[tokens.length];
            boolean allAddresses = true;
            for (int i = 0; i < tokens.length; i++) {
                parsed[i] = pcOf(tokens[i]);
                allAddresses &= parsed[i] >= 0;
            }
            boolean any = false;
            for (int i = 0; i < tokens.length; i++) {
                // among other words, only 0x-prefixed ones: in "add a bad 0x42000192" only the last is an address
                long address = allAddresses || tokens[i].startsWith("0x") || tokens[i].startsWith("0X") ? parsed[i] : -1;
                if (address < 0) {
                    continue;
                }
                any = true;
                resolve(table, address, !exact && tokens[i].indexOf(':') < 0, output);
                if (++count == PREFETCH_AFTER) {
                    symbolizer.prefetch(); // a long stream: decode the rest ahead on the other core
                }
            }
            if (!any && !line.isBlank()) {
                output.flush();
                err.println("heapscope symbolize: standard input line " + number + ": no address in '"
                        + Escape.terminal(line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'; skipped");
                err.flush();
            }
            if (!in.ready() && System.in.available() == 0) { // an interactive caller waits for this answer
                output.flush();
            }
        }
        return true;
    }

    /** An address word of a log line: {@code 0x400d1234}, or the PC of a backtrace's {@code PC:SP} pair; else -1. */
    static long pcOf(String token) {
        int colon = token.indexOf(':');
        return parse(colon < 0 ? token : token.substring(0, colon));
    }

    /** Resolves one address through the reports' frame table, so both show the same frame for it. */
    private void resolve(FrameTable table, long address, boolean returnAddress, SymbolizeOutput output) throws IOException {
        FrameTable.Resolved r = table.resolve(address, returnAddress);
        Optional<SymbolHit> hit = r.frames().size() == 1 ? r.symbol() : Optional.empty();
        Rule rule = returnAddress ? Rule.RETURN_ADDRESS : exact ? null : Rule.BACKTRACE_PC;
        if (rule != null && said.add(rule)) {
            output.flush();
            err.println("heapscope symbolize: " + rule.note);
            err.flush();
        }
        output.write(address, r, hit);
    }

    /** Parses a hexadecimal target address, or returns -1. */
    static long parse(String text) {
        String t = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (t.isEmpty() || t.length() > 16) {
            return -1;
        }
        try {
            long v = Long.parseUnsignedLong(t, 16);
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
