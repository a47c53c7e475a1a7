package heapscope.cli;

import heapscope.demangle.Demangler;
import heapscope.elf.ElfFormatException;
import heapscope.report.Escape;
import heapscope.trace.LogNames;
import heapscope.symbols.FrameTable;
import heapscope.symbols.LinkMap;
import heapscope.symbols.SymbolHit;
import heapscope.symbols.Symbolizer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

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

/**
 * {@code heapscope symbolize}: addresses to functions, files and lines, like addr2line -f -i -C -p.
 *
 * <p>The one command whose model is declared in code, not by picocli's annotations: reading annotations makes the
 * JVM generate a proxy class per annotation type, about 40 ms of a start that addr2line's users expect to take
 * none; the start-up cache cannot hold those classes. Main builds it without touching any annotated class.
 */
public final class SymbolizeCommand implements Callable<Integer> {
    static final String NAME = "symbolize";
    /** Addresses read from a stream before decoding all units ahead pays off. */
    private static final int PREFETCH_AFTER = 64;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final CommandSpec spec;
    private Path elf;
    private boolean json;
    private boolean addresses;
    private boolean exact;
    private boolean returnAddresses;
    private boolean noDemangle;
    private boolean offsets;
    private Path map;
    private List<String> addressArgs;

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

    private SymbolizeCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name(NAME);
    }

    /** The command's model: what the annotations of the other commands declare, with the same help options. */
    static CommandSpec spec() {
        CommandSpec spec = new SymbolizeCommand().spec;
        spec.usageMessage().description(
                "Resolves addresses to function, file and line (with inlined frames) from a firmware ELF.",
                "Addresses are hexadecimal (0x optional); read from standard input when none are given.",
                "",
                "Addresses are taken as return addresses of a call stack (a heap trace's callers, a report's frames) and "
                        + "looked up at address - 1, their call instruction, as heapscope's reports do; --exact looks up program "
                        + "counters as they are. A backtrace's PC:SP pairs pasted on standard input are program counters, looked "
                        + "up as they are, as the reports' crash backtraces are. Standard error says which rule applied.");
        spec.addOption(OptionSpec.builder("--elf").required(true).paramLabel("FILE").type(Path.class)
                .description("Firmware ELF with debug information.").build());
        flag(spec, "Print a JSON array instead of text.", "--json");
        flag(spec, "Prefix each result with its address (text output).", "-a", "--addresses");
        flag(spec, "Addresses are program counters: resolve them as they are, not at address - 1.", "--exact");
        flag(spec, "Addresses are return addresses from a call stack: resolve address - 1 (the default).", "--return-addresses");
        flag(spec, "Print C++ names as mangled in the ELF.", "--no-demangle");
        flag(spec, "Code without debug information (radio blobs, assembly): print the offset into its symbol too "
                + "(coex_core_lock+0x46 at coexist_core.o).", "--offsets");
        spec.addOption(OptionSpec.builder("--map").paramLabel("FILE").type(Path.class)
                .description("The firmware's GNU ld link map (build/APP.map): code without debug information is named "
                        + "with its object and library (coexist_core.o (libcoexist.a)).").build());
        spec.addPositional(PositionalParamSpec.builder().paramLabel("ADDR").arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).description("Addresses to resolve.").build());
        // as mixinStandardHelpOptions gives the annotated commands (that mixin is read by reflection too)
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    private static void flag(CommandSpec spec, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).arity("0").type(boolean.class).description(description).build());
    }

    /** The values given on the command line, as the annotated commands have them in their fields. */
    private void take(ParseResult given) {
        elf = given.matchedOptionValue("--elf", null);
        json = given.hasMatchedOption("--json");
        addresses = given.hasMatchedOption("--addresses");
        exact = given.hasMatchedOption("--exact");
        returnAddresses = given.hasMatchedOption("--return-addresses");
        noDemangle = given.hasMatchedOption("--no-demangle");
        offsets = given.hasMatchedOption("--offsets");
        map = given.matchedOptionValue("--map", null);
        addressArgs = given.matchedPositionalValue(0, List.of());
    }

    @Override
    public Integer call() throws IOException {
        // Results are encoded to bytes in large blocks and written straight to standard output, flushed
        // only when no more input is waiting: piping 100,000 addresses costs a few writes and no
        // per-line character encoding.
        OutputStream out = System.out;
        take(spec.commandLine().getParseResult());
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
