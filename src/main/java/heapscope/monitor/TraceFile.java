package heapscope.monitor;

import heapscope.sysview.RawStop;
import heapscope.sysview.SvIds;
import heapscope.sysview.SvWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A raw SystemView stream (UART, USB-Serial-JTAG) saved as OpenOCD saves a one-core trace: its text header (with a
 * line saying the stream came raw, {@link SvWriter#rawLinkHeader}), then the bytes as received, so ESP-IDF's
 * {@code sysviewtrace_proc.py} and SEGGER SystemView read the file as well as heapscope does. Written as the bytes
 * come (an interrupted capture keeps them); {@link #finish} cuts what follows the last TRACE_STOP and puts back the
 * heap module's description, which these links never carry and without which ESP-IDF's reader sees no heap events.
 */
public final class TraceFile implements Closeable {
    /** The end of the capture searched for its TRACE_STOP: the stop comes within the last second of bytes. */
    static final int TAIL = 256 * 1024;

    private final Path path;
    private final FileChannel file;
    private final int headerLength;
    private final byte[] tail = new byte[TAIL];
    private long received;

    /** What {@link #finish} kept: the stream's bytes, and whether it was cut after a TRACE_STOP. */
    public record Kept(long bytes, long dropped, boolean stopped) {
    }

    public TraceFile(Path path) throws IOException {
        this.path = path;
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        byte[] header = SvWriter.rawLinkHeader();
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

    /**
     * Cuts the file after the last TRACE_STOP, when the end of the capture holds one, describes the heap module at
     * HEAP_EVENTS (the id of its allocation event, -1 when unknown) after the stream's first TRACE_START, and closes it.
     */
    public Kept finish(int heapEvents) throws IOException {
        int n = (int) Math.min(received, TAIL);
        byte[] last = new byte[n];
        long from = received - n;
        for (int i = 0; i < n; i++) {
            last[i] = tail[(int) ((from + i) % TAIL)];
        }
        int end = RawStop.endOfLast(last, n);
        long kept = end < 0 ? received : from + end;
        file.truncate(headerLength + kept);
        long at = afterTraceStart();
        if (heapEvents < 0 || at < 0) {
            file.close();
        } else {
            Path part = path.resolveSibling(path.getFileName() + ".part");
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                file.transferTo(0, at, out);
                out.write(ByteBuffer.wrap(SvWriter.heapModuleDescription(heapEvents)));
                file.transferTo(at, file.size() - at, out);
            }
            file.close();
            Files.move(part, path, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Kept(kept, received - kept, end >= 0);
    }

    /** Where the stream's first packet, TRACE_START after the sync, ends in the file; -1 when it does not start so. */
    private long afterTraceStart() throws IOException {
        ByteBuffer head = ByteBuffer.allocate(SvWriter.SYNC_LENGTH + 1 + 10);
        file.read(head, headerLength);
        byte[] b = Arrays.copyOf(head.array(), head.position());
        int p = SvWriter.SYNC_LENGTH;
        for (int i = 0; i < p; i++) {
            if (i >= b.length || b[i] != 0) {
                return -1;
            }
        }
        if (p >= b.length || b[p++] != SvIds.TRACE_START) {
            return -1;
        }
        while (p < b.length && (b[p] & 0x80) != 0) { // its time delta, a varint
            p++;
        }
        return p < b.length ? headerLength + p + 1 : -1;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
