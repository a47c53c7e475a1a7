package heapscope.cli;

import heapscope.elf.ElfFormatException;
import heapscope.report.Escape;
import heapscope.source.InputException;
import heapscope.source.StopOnSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Entry point: dispatches to the sub-commands. Commands parse arguments and call into the library; no logic here. */
@Command(name = "heapscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Finds, explains and proves the absence of heap leaks in ESP32 (ESP-IDF) firmware.",
        footer = {"", "Exit status: 0 success, 3 a leak budget exceeded (analyze budgets, diff --fail-on-growth), "
                + "2 unusable input or arguments (an output naming an input included), 1 internal error or out of memory."})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        // an Error on another thread (the monitor's status line, a log reader, a shutdown hook) ends the run as one would
        // here; a bug that ends only such a thread is one line too, and the run goes on without it. A full heap often
        // fails several threads at once: the run's Error is said once.
        AtomicBoolean said = new AtomicBoolean();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            try {
                if (e instanceof Error) {
                    sayFatal(e, said);
                } else {
                    System.err.println(fatal(e));
                }
            } finally {
                if (e instanceof Error) {
                    Runtime.getRuntime().halt(1);
                }
            }
        });
        int status = run(said, args);
        if (!StopOnSignal.inProgress()) {
            System.exit(status);
        }
        // A signal stopped a live input and its report is out: ending this thread lets the waiting hook finish, and
        // the process exits with the signal's status (130 for Ctrl-C), unless the command's own says more.
        if (status != 0) {
            Runtime.getRuntime().halt(status);
        }
    }

    /** In the order `--help` lists them. */
    private static final List<Class<?>> COMMANDS = List.of(AnalyzeCommand.class, EventsCommand.class, DiffCommand.class,
            ExportCommand.class, MonitorCommand.class, CaptureCommand.class, ReplayCommand.class, SimulateCommand.class, BenchCommand.class,
            SymbolizeCommand.class, CoreDumpCommand.class, CommandLine.HelpCommand.class);

    public static int run(String... args) {
        return run(new AtomicBoolean(), args);
    }

    /** Runs ARGS; an Error ends it with one line, unless another thread of the run has said its own ({@code said}). */
    private static int run(AtomicBoolean said, String... args) {
        try {
            return commandLine(args).execute(args);
        } catch (Error e) { // picocli hands only Exceptions to the handler below
            sayFatal(e, said);
            if (System.getenv("HEAPSCOPE_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        }
    }

    /** The start of the line a full heap ends the run with, made before the heap is full: saying it must not need memory. */
    private static final String OUT_OF_MEMORY = "heapscope: out of memory (Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20)
            + " MiB): the capture needs a larger heap, e.g. JDK_JAVA_OPTIONS=-Xmx8g";

    /** Says the Error's line, once a run; on a heap too full for the whole line, its start. */
    private static void sayFatal(Throwable e, AtomicBoolean said) {
        if (!said.compareAndSet(false, true)) {
            return;
        }
        String line;
        try {
            line = fatal(e);
        } catch (OutOfMemoryError full) {
            line = OUT_OF_MEMORY;
        }
        System.err.println(line);
    }

    /** The one line an Error ends the run with: what to do about a full heap, else a bug to report. */
    static String fatal(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return OUT_OF_MEMORY + " (" + Escape.terminal(String.valueOf(e.getMessage())) + ")";
        }
        return "heapscope: internal error: " + Escape.terminal(e.toString()) + " (set HEAPSCOPE_DEBUG=1 for details; please report it)";
    }

    /**
     * The command line for ARGS. Picocli reflects over every option of every command it is given, which cost more
     * start-up time than `symbolize` needs for a small ELF; so when ARGS name a command, only that one is built, and
     * for `symbolize`, declared in code, no annotation is read at all (see SymbolizeCommand).
     */
    public static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? "" : args[0];
        CommandLine cl;
        if (first.equals(SymbolizeCommand.NAME)) {
            cl = new CommandLine(CommandSpec.create().name("heapscope"));
            cl.addSubcommand(new CommandLine(SymbolizeCommand.spec()));
        } else {
            cl = new CommandLine(new Main());
            boolean named = COMMANDS.stream().anyMatch(c -> name(c).equals(first) && c != CommandLine.HelpCommand.class);
            for (Class<?> command : COMMANDS) {
                if (!named || name(command).equals(first)) {
                    cl.addSubcommand(command == SymbolizeCommand.class ? new CommandLine(SymbolizeCommand.spec()) : command);
                }
            }
        }
        for (CommandLine c : cl.getSubcommands().values()) {
            c.getCommandSpec().versionProvider(new Version()); // for "analyze -V"
            if (c.getCommand() instanceof FormatHelp f) {
                FormatHelp.describe(c.getCommandSpec(), f.formats());
            }
        }
        // usage help follows the reports' colour rule (NO_COLOR, TERM, a terminal) instead of picocli's own
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(
                Common.color(Common.Color.auto, null) ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        // picocli's own Path converter calls Paths.get by reflection, whose first use spins method handles (~5 ms)
        cl.registerConverter(Path.class, Path::of);
        cl.setExecutionExceptionHandler(Main::failure);
        cl.setParameterExceptionHandler(Main::badArguments);
        HelpFormat.apply(cl);
        return cl;
    }

    private static String name(Class<?> command) {
        return command == SymbolizeCommand.class ? SymbolizeCommand.NAME : command.getAnnotation(Command.class).name();
    }

    /** A wrong option or argument: one line (not the whole usage, which scrolls the error away) and status 2. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            hint = "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        cl.getErr().println("heapscope: " + Escape.terminal(e.getMessage()) + hint
                + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        return 2;
    }

    /** User errors get one line and status 2; anything else is a bug: one line, status 1, trace on request. */
    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof InputException || e instanceof ElfFormatException || e instanceof IOException
                || e instanceof UncheckedIOException) {
            String message = e instanceof NoSuchFileException n ? n.getFile() + ": no such file"
                    : e instanceof AccessDeniedException a ? a.getFile() + ": permission denied" : e.getMessage();
            cl.getErr().println("heapscope: " + Escape.terminal(String.valueOf(message)));
            return 2;
        }
        cl.getErr().println(fatal(e));
        if (System.getenv("HEAPSCOPE_DEBUG") != null) {
            e.printStackTrace(cl.getErr());
        }
        return 1;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No command given: a mistake, as with a wrong option; the overview with every command, on standard error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"heapscope " + Common.version()};
        }
    }
}
