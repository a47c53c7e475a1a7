package heapscope.capture;

import heapscope.source.CutNotes;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one place that decides what an input is: the registered formats are asked in order whether they claim the
 * first bytes, and the first that does opens the capture into a fresh {@link Recording}.
 */
public final class Captures {
    /** Asked in this order; the serial log claims anything, so it comes last. */
    static final List<CaptureFormat> FORMATS = List.of(new SystemViewFormat(), new RawSystemViewFormat(), new SerialLogFormat());

    private Captures() {
    }

    /** Opens the capture given on the command line: SystemView traces (one or several files) or one serial log. */
    public static EventReader open(List<String> inputs, CaptureSettings settings) throws IOException {
        return openSpecs(inputs.stream().map(InputSpec::parse).toList(), settings);
    }

    /**
     * Opens the capture from inputs already parsed (live ones with their settings); where a live input's connection
     * was lost, its recording says so when the capture ends ({@link CutNotes}).
     */
    public static EventReader openSpecs(List<InputSpec> specs, CaptureSettings settings) throws IOException {
        if (specs.isEmpty()) {
            throw new InputException("no input given");
        }
        List<InputStream> opened = new ArrayList<>();
        List<InputStream> streams = new ArrayList<>();
        try {
            for (InputSpec spec : specs) {
                opened.add(spec.open());
                streams.add(new BufferedInputStream(opened.get(opened.size() - 1), 1 << 16));
            }
            return new CutNotes(format(streams.get(0), specs.get(0).name()).open(specs, streams, settings, new Recording()), opened);
        } catch (IOException | RuntimeException e) {
            for (InputStream in : streams) {
                in.close();
            }
            throw e;
        }
    }

    /**
     * A live stream (the monitor's): its format, from its first bytes, which stay unread in {@code in}. The
     * monitor passes the bytes on and decodes a copy with {@link Live#open}.
     */
    public static Live live(BufferedInputStream in, InputSpec spec, CaptureSettings settings) throws IOException {
        return new Live(format(in, spec.name()), spec, settings);
    }

    /**
     * The format of a stream that supports mark/reset, from its first bytes, without consuming them. The first
     * {@link CaptureFormat#HEAD} bytes decide, unless only the serial log claims them and they are binary: then up to
     * {@link CaptureFormat#PROBE} are read (a live text stream is never held up waiting for more).
     */
    static CaptureFormat format(InputStream in, String name) throws IOException {
        in.mark(CaptureFormat.PROBE);
        byte[] head = in.readNBytes(CaptureFormat.HEAD);
        try {
            if (head.length == 0) {
                throw new InputException(name + ": empty input");
            }
            CaptureFormat f = claimant(head, name);
            if (f == FORMATS.get(FORMATS.size() - 1) && head.length == CaptureFormat.HEAD && binary(head)) {
                byte[] more = in.readNBytes(CaptureFormat.PROBE - CaptureFormat.HEAD);
                byte[] longer = Arrays.copyOf(head, head.length + more.length);
                System.arraycopy(more, 0, longer, head.length, more.length);
                f = claimant(longer, name);
            }
            return f;
        } finally {
            in.reset();
        }
    }

    private static CaptureFormat claimant(byte[] head, String name) throws InputException {
        for (CaptureFormat f : FORMATS) {
            if (f.claims(head)) {
                return f;
            }
        }
        throw new InputException(name + ": not a capture heapscope reads");
    }

    /** Control bytes no terminal output has (text has tabs, line ends and ANSI escapes): a handful make a head binary. */
    private static boolean binary(byte[] head) {
        int control = 0;
        for (byte x : head) {
            if (x >= 0 && x < 0x20 && x != '\n' && x != '\r' && x != '\t' && x != 0x1B || x == 0x7F) {
                control++;
            }
        }
        return control >= 4;
    }

    /** The decoding of a raw SystemView stream (UART, USB-Serial-JTAG), for a source known to be one: heapscope capture's. */
    public static Live liveRawSystemView(InputSpec spec, CaptureSettings settings) {
        return new Live(new RawSystemViewFormat(), spec, settings);
    }

    /** The monitor's decoding of a serial log, for a source known to be one (generated data, benchmarks). */
    public static Live liveLog(String name) {
        return new Live(FORMATS.get(FORMATS.size() - 1), InputSpec.parse(name), monitor(true));
    }

    /**
     * What the monitor decodes: what analyze decodes of the same capture (log lines as events only for cycle
     * markers), and a stream with no heap message yet is empty, not unusable.
     */
    public static CaptureSettings monitor(boolean cycles) {
        return new CaptureSettings(false, cycles, List.of(), true);
    }

    /** A live capture whose format is known: opens a decoder over the stream's bytes (or a copy of them). */
    public record Live(CaptureFormat format, InputSpec spec, CaptureSettings settings, UnaryOperator<EventReader> stacks) {
        public Live(CaptureFormat format, InputSpec spec, CaptureSettings settings) {
            this(format, spec, settings, UnaryOperator.identity());
        }

        /** The same decoding with its stacks rewritten by STACKS (cut, completed) before anyone reads them. */
        public Live withStacks(UnaryOperator<EventReader> stacks) {
            return new Live(format, spec, settings, stacks);
        }

        public EventReader open(InputStream bytes) throws IOException {
            return stacks.apply(format.open(List.of(spec), List.of(bytes), settings, new Recording()));
        }
    }
}
