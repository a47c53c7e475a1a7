package heapscope.cli;

import heapscope.analysis.Findings;
import heapscope.analysis.LeakReport;
import heapscope.analysis.ReportSettings;
import heapscope.capture.Captures;
import heapscope.monitor.KeyAction;
import heapscope.monitor.KeyReader;
import heapscope.monitor.Keys;
import heapscope.monitor.MonitorSession;
import heapscope.monitor.StatusLine;
import heapscope.monitor.TerminalMode;
import heapscope.monitor.TraceCapture;
import heapscope.monitor.TraceFile;
import heapscope.report.Renderer;
import heapscope.report.Units;
import heapscope.source.DeviceLink;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.source.OutputFiles;
import heapscope.symbols.FrameTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Records a full heap trace over UART or USB-Serial-JTAG (no JTAG probe), analysing it live.",
                "",
                "For firmware built with ESP-IDF v6's esp_trace and espressif/esp_sysview, host-mode heap tracing on, "
                        + "and the apptrace UART or the USB-Serial-JTAG transport (README: Heap tracing without JTAG). "
                        + "Opens PORT, discards what waits in it, sends SystemView's start command (0x01) and saves the "
                        + "stream to --output with the header OpenOCD writes, so ESP-IDF's sysviewtrace_proc.py and "
                        + "SEGGER SystemView read the file too. Ctrl-C, --duration or the port going away send the stop "
                        + "command (0x02); the capture ends when the device has been silent for --idle seconds and is cut "
                        + "after its last TRACE_STOP. Then the leak report prints, as analyze prints it for the file.",
                "",
                "While it records, standard error shows bytes, events, rate, losses and the live heap (traced live "
                        + "blocks, top sites). kill -USR1 PID, or Ctrl-T Ctrl-E on a terminal, prints the report so far "
                        + "without stopping. Keys typed are not sent to the device.",
                "",
                "PORT is a serial port (/dev/ttyUSB0 for a UART adapter, /dev/ttyACM0 for USB-Serial-JTAG, COM3) or "
                        + "tcp://host:port (a serial-over-TCP bridge in raw mode)."},
        footer = {"", "Exit status: 0 captured (and every budget met), 3 a leak budget exceeded, 130 stopped by Ctrl-C "
                + "(after the report; a second Ctrl-C ends it without waiting for the device), 2 unusable port, output or "
                + "arguments, 1 internal error."})
final class CaptureCommand implements Callable<Integer>, FormatHelp {
    @Parameters(paramLabel = "PORT", arity = "0..1", description = "serial port or tcp://host:port; wins over --port")
    String source;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "${env:ESPPORT}",
            description = "the port when PORT is not given (default: $ESPPORT)")
    String port;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "the trace file to write (.svdat); an existing FILE is kept unless --force")
    Path output;

    @Option(names = "--force", description = "replace an existing --output")
    boolean force;

    @Option(names = {"-b", "--baud"}, defaultValue = "1000000", paramLabel = "N",
            description = "UART speed: CONFIG_APPTRACE_UART_BAUDRATE (default 1000000; USB-Serial-JTAG ignores it)")
    int baud;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "stop after SECONDS (default 0: at Ctrl-C or when the port goes away)")
    double duration;

    @Option(names = "--idle", defaultValue = "1", paramLabel = "SECONDS",
            description = "after the stop command, silence that ends the capture (default 1)")
    double idle;

    @Mixin
    HeapEventsOption heapEvents;

    @Option(names = "--elf", paramLabel = "FILE", description = "firmware ELF: frames and sites in the live line and the report")
    Path elf;

    @Option(names = "--chip", paramLabel = "CHIP", description = "memory map when the trace does not name the chip")
    String chip;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "of the report at the end (listed above; default text)")
    String format;

    @Mixin
    StrictOption strict;

    @Mixin
    FindingsOptions findings;

    @Option(names = "--status", defaultValue = "1", paramLabel = "SECONDS", description = "progress line on standard error every SECONDS, 0 for none (default 1)")
    double statusEvery;

    @Mixin
    ColorOption color;

    @Override
    public Map<String, String> formats() {
        return FormatHelp.of(Renderer.ALL);
    }

    @Override
    public Integer call() throws Exception {
        String name = source != null ? source : port;
        if (name == null) {
            throw new InputException("no PORT: give the serial port (heapscope capture /dev/ttyUSB0 -o trace.svdat, -p PORT or ESPPORT) or tcp://host:port");
        }
        if (baud < 50 || baud > 10_000_000 || duration < 0 || idle <= 0) {
            throw new InputException("--baud must be 50..10000000, --duration 0 or more and --idle more than 0");
        }
        Renderer.named(format);
        OutputFiles.check(OutputFiles.inputs(List.of(name), elf), new OutputFiles.Target("--output", output));
        OutputFiles.fresh("--output", force, output);
        boolean colour = color.on(null);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        ReportSettings settings = findings.settings(elf, chip, null);
        FrameTable shown = FrameTable.of(settings.symbolizer(), settings.chip());
        Captures.Live live = Captures.liveRawSystemView(InputSpec.parse(name), heapEvents.apply(Captures.monitor(false)))
                .withStacks(settings::stacks);
        MonitorSession session = new MonitorSession(null, colour, null, null, settings::analysis, live);
        AtomicBoolean interrupted = new AtomicBoolean();
        try (DeviceLink link = DeviceLink.open(name, baud, notice -> System.err.println("heapscope: " + notice));
             TraceFile file = new TraceFile(output);
             TerminalMode terminal = TerminalMode.keys().orElse(null)) {
            TraceCapture capture = new TraceCapture(link, file, session, (long) (idle * 1000));
            Runnable soFar = () -> session.requestReport(report -> {
                try {
                    printReport(Findings.of(report, settings), colour, out, name);
                } catch (IOException e) {
                    System.err.println("heapscope: " + e.getMessage());
                }
            });
            Runnable interrupt = () -> { // Ctrl-C stops the device and ends the capture with its report; a second, at once
                if (interrupted.getAndSet(true)) {
                    capture.stopNow();
                } else {
                    capture.stop();
                }
            };
            Signals.on("INT", interrupt);
            Signals.reportOnUsr1(soFar);
            if (duration > 0) {
                Thread timer = Thread.ofVirtual().unstarted(() -> {
                    try {
                        Thread.sleep((long) (duration * 1000));
                        capture.stop();
                    } catch (InterruptedException ended) {
                        // the capture ended first
                    }
                });
                timer.start();
            }
            System.err.println("--- heapscope capture on " + name + (link instanceof DeviceLink.Serial ? " at " + baud + " baud" : "")
                    + " to " + output + " | stop: Ctrl-C" + (terminal == null ? "" : " or Ctrl-] | report so far: Ctrl-T Ctrl-E"));
            LeakReport report;
            try (KeyReader keys = terminal == null ? null : new KeyReader(System.in, new Keys(Keys.Eol.CR),
                    keyActions(capture, soFar, interrupt));
                 StatusLine line = statusEvery <= 0 ? null : new StatusLine(session::status,
                         MonitorCommand.siteNamer(elf == null ? null : shown, settings.siteData()), capture::progress,
                         System.err, colour, Math.max(100, (long) (statusEvery * 1000)))) {
                report = capture.run();
            }
            TraceFile.Kept kept = capture.kept();
            System.err.println("heapscope: " + output + ": " + Units.bytes(kept.bytes()) + " of trace saved"
                    + (kept.stopped() ? (kept.dropped() > 0 ? ", cut after the last TRACE_STOP (" + Units.bytes(kept.dropped()) + " after it dropped)" : "")
                    : "; no TRACE_STOP came (the device did not answer the stop command): kept as received"));
            Findings found = Findings.of(report, settings);
            printReport(found, colour, out, name);
            findings.junit(found, List.of(name));
            int code = strict.status(Common.budgetStatus(found.checks()), found.report().recording());
            return interrupted.get() && code == 0 ? 130 : code;
        }
    }

    /** Keys in a capture: stop and the report so far; nothing typed goes to the device, whose input is the trace's commands. */
    private static Consumer<KeyAction> keyActions(TraceCapture capture, Runnable soFar, Runnable interrupt) {
        AtomicBoolean told = new AtomicBoolean();
        return action -> {
            if (action instanceof KeyAction.Command command) {
                switch (command) {
                    case INTERRUPT -> interrupt.run();
                    case EXIT -> capture.stop();
                    case REPORT -> soFar.run();
                    case HELP -> System.err.println("--- Ctrl-C or Ctrl-]: stop the capture | Ctrl-T Ctrl-E: the report so far");
                    default -> System.err.println("--- not during a capture");
                }
            } else if (!told.getAndSet(true)) {
                System.err.println("--- keys typed are not sent to the device during a capture; Ctrl-T Ctrl-H lists the keys");
            }
        };
    }

    /** The report analyze prints; synchronized so a report asked for by a signal and the final one never interleave. */
    private void printReport(Findings found, boolean colour, PrintWriter out, String name) throws IOException {
        Common.notices(found);
        synchronized (out) {
            out.println();
            Renderer.named(format).write(found, findings.context(colour, List.of(name)), out);
            out.flush();
        }
    }
}
