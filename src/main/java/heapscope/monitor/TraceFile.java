package heapscope.monitor;

import heapscope.sysview.RawStop;
import heapscope.sysview.SvWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A raw SystemView stream (UART, USB-Serial-JTAG) saved as OpenOCD saves a one-core trace: its text header, then
 * the bytes as received, so ESP-IDF's {@code sysviewtrace_proc.py} and SEGGER SystemView read the file as well as
 * heapscope does. Written as the bytes come (an interrupted capture keeps them); {@link #finish} cuts what follows
 * the last TRACE_STOP.
 */
public final class TraceFile implements Closeable {
    /** The end of the capture searched for its TRACE_STOP: the stop comes within the last second of bytes. */
    static final int TAIL = 256 * 1024;

    private final FileChannel file;
    private final int headerLength;
    private final byte[] tail = new byte[TAIL];
    private long received;

    /** What {@link #finish} kept: the stream's bytes, and whether it was cut after a TRACE_STOP. */
    public record Kept(long bytes, long dropped, boolean stopped) {
    }

    public TraceFile(Path path) throws IOException {
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        byte[] header = SvWriter.header(false, List.of());
        headerLength = header.length;
        file.write(ByteBuffer.wrap(header));
    }

    public void write(byte[] b, int off, int len) throws IOException {
        file.write(ByteBuffer.wrap(b, off, len));
        for (int i = 0; i < len; i++) {
            tail[(int) ((received + i) % TAIL)] = b[off + i];
        }
        received += len;
    }

    /** Bytes of the stream received so far. */
    public long received() {
        return received;
    }

    /** Cuts the file after the last TRACE_STOP, when the end of the capture holds one, and closes it. */
    public Kept finish() throws IOException {
        int n = (int) Math.min(received, TAIL);
        byte[] last = new byte[n];
        long from = received - n;
        for (int i = 0; i < n; i++) {
            last[i] = tail[(int) ((from + i) % TAIL)];
        }
        int end = RawStop.endOfLast(last, n);
        long kept = end < 0 ? received : from + end;
        file.truncate(headerLength + kept);
        file.close();
        return new Kept(kept, received - kept, end >= 0);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
