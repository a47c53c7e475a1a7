package heapscope.cli;

import heapscope.analysis.Findings;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.analysis.ReportSettings;
import heapscope.analysis.SiteData;
import heapscope.capture.Captures;
import heapscope.monitor.AddressAnnotator;
import heapscope.monitor.CaptureFile;
import heapscope.monitor.KeyAction;
import heapscope.monitor.KeyReader;
import heapscope.monitor.Keys;
import heapscope.monitor.MonitorSession;
import heapscope.monitor.StatusLine;
import heapscope.monitor.StoppableInput;
import heapscope.monitor.TerminalMode;
import heapscope.report.EventPrinter;
import heapscope.report.Renderer;
import heapscope.source.CutNotes;
import heapscope.source.EspReset;
import heapscope.report.Escape;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.source.OutputFiles;
import heapscope.source.SerialStream;
import heapscope.source.SingleByte;
import heapscope.symbols.ElfDigest;
import heapscope.symbols.Frame;
import heapscope.symbols.FrameTable;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.HeapEvent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serial monitor: shows the device's output with code addresses decoded, then the leak report.",
                "",
                "Shows the device's output as it comes, with code addresses decoded inline from --elf, saves the raw "
                        + "capture (--save), and when the stream ends prints the leak report of everything received (heap trace "
                        + "dumps, free-heap lines, corruption, panics).",
                "",
                "SOURCE is a serial port (/dev/ttyUSB0, /dev/ttyACM0, COM3; --baud), '-' for standard input "
                        + "(idf.py monitor | heapscope monitor -), tcp://host:port for a serial-over-TCP server (ser2net raw mode), "
                        + "or a file.",
                "A SystemView stream (OpenOCD's 'esp sysview start tcp://HOST:PORT' with SOURCE tcp-listen://:PORT) "
                        + "shows its heap events as they are decoded.",
                "kill -USR1 PID prints the report of what came so far, without stopping.",
                "",
                "On a terminal the keys are idf.py monitor's: what you type goes to the device; Ctrl-] exits with the "
                        + "report (Ctrl-C too, status 130); Ctrl-T is the menu key: Ctrl-T Ctrl-R resets the board, "
                        + "Ctrl-T Ctrl-E prints the report so far, Ctrl-T Ctrl-I toggles timestamps, Ctrl-T Ctrl-H lists the keys. "
                        + "The port opens as idf.py monitor opens it, resetting the board through DTR/RTS (--no-reset: not).",
                "",
                "The report is the one analyze prints for the saved capture with the same options (--format json, --rules, "
                        + "--suppress, --map, budgets, ...)."},
        footer = {"", "Exit status: 0 the stream ended or Ctrl-] (and every budget met), 3 a leak budget exceeded (also after Ctrl-C), "
                + "130 stopped by Ctrl-C or SIGINT (after the report), 2 unusable source or arguments, 1 internal error."})
final class MonitorCommand implements Callable<Integer>, FormatHelp {
    @Parameters(paramLabel = "SOURCE", arity = "0..1",
            description = "a serial port (/dev/ttyUSB0, COM3), '-', tcp://host:port, tcp-listen://:port or a file; wins over --port")
    String source;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "${env:ESPPORT}",
            description = "the serial port, as idf.py monitor takes it, when SOURCE is not given (default: $ESPPORT)")
    String port;

    @CommandLine.Mixin
    LiveOptions liveOptions;

    @Mixin
    HeapEventsOption heapEvents;

    /** Null when not given: then $ESPBAUD, read in {@link #call} so that a bad value is named as the environment's. */
    @Option(names = {"-b", "--baud"}, paramLabel = "N", description = "serial port speed (default: $ESPBAUD, else 115200)")
    Integer baudOption;
    private int baud;

    @Option(names = "--no-reset", description = "do not reset the board through DTR/RTS when the port opens (idf.py monitor resets it)")
    boolean noReset;

    @Option(names = "--eol", defaultValue = "CR", paramLabel = "EOL", description = "what Enter sends to the device: CR (default), LF or CRLF")
    Keys.Eol eol;

    @Option(names = "--timestamps", description = "host time before each line shown (Ctrl-T Ctrl-I turns it on and off)")
    boolean timestamps;

    @Option(names = "--reconnect", defaultValue = "30", paramLabel = "SECONDS",
            description = "when the serial port disappears (device reset, USB replugged), wait this long for it to return (default 30)")
    int reconnect;

    @Option(names = "--elf", paramLabel = "FILE", description = "firmware ELF: decode code addresses inline, and frames in the report")
    Path elf;

    @Option(names = "--save", paramLabel = "FILE", description = "save the raw bytes as received (and FILE.times with the host times); an existing FILE is kept unless --force")
    Path save;

    @Option(names = "--force", description = "with --save: replace an existing capture and its .times")
    boolean force;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "of the report at the end (listed above; default text)")
    String format;

    @Option(names = "--cycle", paramLabel = "REGEX", description = "lines matching this start a cycle of work (see analyze --help)")
    String cycle;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map when the boot output does not name the chip")
    String chip;

    @Mixin
    StrictOption strict;

    @Mixin
    FindingsOptions findings;

    @Option(names = "--status", defaultValue = "2", paramLabel = "SECONDS", description = "live heap status on standard error every SECONDS when it changed, 0 for none (default 2)")
    double statusEvery;

    @Mixin
    ColorOption color;

    @Override
    public Map<String, String> formats() {
        return FormatHelp.of(Renderer.ALL);
    }

    /** The source as opened, to record in the report where a live connection was lost. */
    private List<InputStream> opened = List.of();

    /** Device paths (and links to them) are serial ports; regular files are replayed as they are. */
    private static boolean serialPort(String source) {
        if (source.matches("(?i)COM\\d+")) {
            return true;
        }
        Path p = Path.of(source);
        return source.startsWith("/dev/") || (Files.exists(p) && !Files.isRegularFile(p));
    }

    /** The speed idf.py monitor would take from ESPBAUD (VALUE, null when unset), else its default. */
    static int espBaud(String value) {
        if (value == null || value.isBlank()) {
            return 115_200;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InputException("ESPBAUD='" + Escape.terminal(value) + "' in the environment is not a serial port speed"
                    + " (50..10000000): set a number, unset it, or give --baud");
        }
    }

    @Override
    public Integer call() throws Exception {
        source = source != null ? source : port;
        if (source == null) {
            throw new InputException("no SOURCE: give the serial port (heapscope monitor /dev/ttyUSB0, -p PORT or ESPPORT), "
                    + "'-', tcp://host:port or a file");
        }
        baud = baudOption != null ? baudOption : espBaud(System.getenv("ESPBAUD"));
        if (baud < 50 || baud > 10_000_000 || reconnect < 0) {
            throw new InputException("--baud must be 50..10000000 and --reconnect 0 or more");
        }
        Renderer renderer = Renderer.named(format);
        InputSpec spec = liveOptions.specs(List.of(source)).get(0);
        if (save != null) { // a capture cannot be made again: never the source, never replaced by accident
            Path times = Path.of(save + ".times");
            OutputFiles.check(OutputFiles.inputs(List.of(source), elf), new OutputFiles.Target("--save", save),
                    new OutputFiles.Target("--save (its .times)", times));
            OutputFiles.fresh("--save", force, save, times);
        }
        boolean colour = color.on(null);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        ReportSettings settings = findings.settings(elf, chip, cycle); // loaded once, for the status line and every report
        FrameTable shown = FrameTable.of(settings.symbolizer(), settings.chip()); // the frames decoded inline and named in the status line
        AddressAnnotator annotator = elf == null ? null : new AddressAnnotator(shown, ElfDigest.sha256(elf));
        SerialStream serial = serialPort(source) ? new SerialStream(source, baud, !noReset, reconnect * 1000L,
                notice -> System.err.println("heapscope: " + notice)) : null;
        // keys from the terminal; standard input that is the capture, or no terminal, has none (Ctrl-C is then SIGINT)
        try (InputStream raw = serial != null ? serial : spec.open();
             CaptureFile capture = save == null ? null : new CaptureFile(save);
             TerminalMode terminal = source.equals("-") ? null : TerminalMode.keys().orElse(null)) {
            opened = List.of(raw);
            StoppableInput stoppable = new StoppableInput(raw); // Ctrl-] ends the session as the end of input does
            AtomicReference<MonitorSession> session = new AtomicReference<>(); // once the stream is known to be a log
            AtomicBoolean interrupted = new AtomicBoolean();
            // reading keys from the start: a device that stays silent is left with Ctrl-] too
            try (KeyReader keys = terminal == null ? null : new KeyReader(System.in, new Keys(eol),
                    keyActions(serial, session::get, settings, colour, out, stoppable, interrupted))) {
                if (keys != null) {
                    say("heapscope monitor on " + source + (serial == null ? "" : " at " + baud + " baud")
                            + " | exit: Ctrl-] | menu: Ctrl-T | help: Ctrl-T Ctrl-H");
                }
                int code = run(new BufferedInputStream(stoppable, 1 << 16), spec, capture, session, out, annotator, colour,
                        settings, shown);
                return interrupted.get() && code == 0 ? INTERRUPTED : code;
            }
        }
    }

    /** The session on the opened source, a log or a SystemView stream as its first bytes say; returns the exit status. */
    private int run(BufferedInputStream in, InputSpec spec, CaptureFile capture, AtomicReference<MonitorSession> started,
                    PrintWriter out, AddressAnnotator annotator, boolean colour, ReportSettings settings, FrameTable shown)
            throws Exception {
        Captures.Live live = Captures.live(in, spec, heapEvents.apply(Captures.monitor(settings.cycleMarker() != null))).withStacks(settings::stacks);
        if (!live.format().text()) {
            return systemView(live, capture == null ? in : tee(in, capture), out, annotator, colour, settings);
        }
        MonitorSession session = new MonitorSession(out, colour, annotator, capture, settings::analysis, live);
        session.timestamps(timestamps);
        started.set(session);
        AtomicInteger status = new AtomicInteger(-1);
        // Ctrl-C (or a kill) ends a session whose source never ends: print what was received before exiting
        Thread onExit = new Thread(() -> {
            int code = end(session, capture, settings, colour, out, status);
            if (code == AnalyzeCommand.BUDGET_EXCEEDED) {
                Runtime.getRuntime().halt(code);
            }
        }, "heapscope-monitor-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        Signals.reportOnUsr1(reportSoFar(session, settings, colour, out));
        Function<long[], String> siteName = siteNamer(elf == null ? null : shown, settings.siteData());
        try {
            try (StatusLine line = statusEvery <= 0 ? null : new StatusLine(session::status, siteName,
                    System.err, colour, Math.max(100, (long) (statusEvery * 1000)))) {
                session.run(in);
            }
            return end(session, capture, settings, colour, out, status);
        } finally { // also when the session failed: its error is reported once, not again by the hook
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) already
            }
        }
    }

    /** Asks the session for the report of what came so far (kill -USR1, Ctrl-T Ctrl-E), printed when it is ready. */
    private Runnable reportSoFar(MonitorSession session, ReportSettings settings, boolean colour, PrintWriter out) {
        return () -> session.requestReport(report -> {
            try {
                Findings found = Findings.of(report, settings);
                Common.notices(found);
                printReport(found, colour, out);
            } catch (IOException e) {
                System.err.println("heapscope: " + e.getMessage());
            }
        });
    }

    /** Exit status after Ctrl-C, as for SIGINT. */
    private static final int INTERRUPTED = 130;

    /** The monitor's own messages to the person at the keyboard, marked as idf.py monitor marks its own. */
    private static void say(String line) {
        System.err.println("--- " + line);
    }

    /** What the keys do in this session: bytes to the device, the rest to the monitor. */
    private Consumer<KeyAction> keyActions(SerialStream serial, Supplier<MonitorSession> session, ReportSettings settings,
                                           boolean colour, PrintWriter out, StoppableInput input, AtomicBoolean interrupted) {
        AtomicBoolean toldNoDevice = new AtomicBoolean();
        return action -> {
            switch (action) {
                case KeyAction.Send send -> {
                    if (serial != null) {
                        serial.write(send.bytes(), 0, send.bytes().length); // while the port is gone keys are dropped
                    } else if (!toldNoDevice.getAndSet(true)) {
                        say(source + " is not a serial port: keys typed are not sent");
                    }
                }
                case KeyAction.UnknownMenuKey unknown -> say("unknown menu key " + Keys.describe(unknown.key())
                        + " after Ctrl-T; Ctrl-T Ctrl-H lists the keys");
                case KeyAction.Command command -> {
                    switch (command) {
                        case EXIT -> input.stop();
                        case INTERRUPT -> {
                            interrupted.set(true);
                            input.stop();
                        }
                        case RESET -> reset(serial);
                        case REPORT, TOGGLE_TIMESTAMPS -> {
                            MonitorSession s = session.get();
                            if (s == null) {
                                say(Keys.describe(Keys.MENU) + " menu: no report or timestamps before the device's first "
                                        + "bytes, nor for a SystemView stream");
                            } else if (command == KeyAction.Command.REPORT) {
                                reportSoFar(s, settings, colour, out).run();
                            } else {
                                say("timestamps " + (s.toggleTimestamps() ? "on" : "off"));
                            }
                        }
                        case HELP -> Keys.help().forEach(MonitorCommand::say);
                    }
                }
            }
        };
    }

    /** Ctrl-T Ctrl-R: idf.py monitor's hard reset, where the port has the control lines for it. */
    private void reset(SerialStream serial) {
        if (serial == null) {
            say(source + " is not a serial port: no reset");
            return;
        }
        try {
            say(serial.resetBoard() ? "reset: RTS asserted (EN low) for " + EspReset.EN_LOW_MS + " ms"
                    : source + ": no DTR/RTS control lines (a pty, or an adapter without them): not reset");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Names a stack by its allocation site (first function outside the allocator) with an ELF, else its innermost caller. */
    static Function<long[], String> siteNamer(FrameTable table, SiteData data) {
        if (table == null) {
            return StatusLine::rawName;
        }
        return callers -> {
            for (long address : callers) {
                for (Frame f : table.callerFrames(address)) {
                    if (f.function() != null && !data.allocator(f.function())) {
                        return f.function();
                    }
                }
            }
            return StatusLine.rawName(callers);
        };
    }

    /** Saves every byte read from {@code in}, as received. */
    private static InputStream tee(InputStream in, CaptureFile capture) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return SingleByte.read(this);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    capture.write(b, off, n, System.currentTimeMillis());
                    capture.flush();
                }
                return n;
            }
        };
    }

    /**
     * OpenOCD's live SystemView stream (esp sysview start tcp://...): heap events and log lines as they are decoded,
     * then the report. Ctrl-C closes the stream, which ends the decoding with what came.
     */
    private int systemView(Captures.Live live, InputStream in, PrintWriter out, AddressAnnotator annotator, boolean colour,
                           ReportSettings settings) throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        Thread onExit = new Thread(() -> {
            try {
                in.close();
                reported.await(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "heapscope-monitor-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        LeakAnalysis analysis = settings.analysis();
        LeakReport report;
        try (EventReader reader = new CutNotes(live.open(in), opened)) {
            EventPrinter printer = new EventPrinter(reader.recording(), false);
            try {
                for (Event e = reader.next(); e != null; e = reader.next()) {
                    analysis.accept(e);
                    out.println(printer.text(e));
                    if (annotator != null && e instanceof HeapEvent h) { // its callers, as a log's are decoded
                        annotator.callers(reader.recording().stacks().frames(h.stack())).forEach(out::println);
                    }
                    out.flush();
                }
            } catch (IOException closed) {
                // Ctrl-C closed the stream: report what came
            }
            report = analysis.finish(reader.recording());
        }
        int code = finalReport(report, settings, colour, out);
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
        return code;
    }

    /** The report at the end of a session, and its budget checks (--junit too); returns the budgets' exit status. */
    private int finalReport(LeakReport report, ReportSettings settings, boolean colour, PrintWriter out) throws IOException {
        Findings found = Findings.of(report, settings);
        Common.notices(found);
        printReport(found, colour, out);
        findings.junit(found, List.of(source));
        return strict.status(Common.budgetStatus(found.checks()), found.report().recording());
    }

    /**
     * The report analyze gives for the same capture with the same options; synchronized so that a report asked for
     * by a signal and the final one never interleave.
     */
    private void printReport(Findings found, boolean colour, PrintWriter out) throws IOException {
        synchronized (out) {
            out.println();
            Renderer.named(format).write(found, findings.context(colour, List.of(source)), out);
            out.flush();
        }
    }

    /** Prints the final report once, whoever ends the session first; returns the exit status. */
    private int end(MonitorSession session, CaptureFile capture, ReportSettings settings, boolean colour, PrintWriter out,
                    AtomicInteger status) {
        synchronized (status) {
            if (status.get() >= 0) {
                return status.get();
            }
            try {
                LeakReport report = session.finish();
                CutNotes.record(opened, report.recording());
                if (capture != null) {
                    capture.flush();
                }
                status.set(finalReport(report, settings, colour, out));
            } catch (IOException | RuntimeException e) {
                System.err.println("heapscope: " + e.getMessage());
                status.set(2);
            }
            return status.get();
        }
    }
}
