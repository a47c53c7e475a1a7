package heapscope.monitor;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The raw bytes exactly as received, so {@code heapscope analyze FILE} reproduces what the monitor showed, and a
 * side file {@code FILE.times} with the host time of each chunk ({@code byte-offset epoch-ms} a line), for replay
 * with the original timing.
 */
public final class CaptureFile implements Closeable {
    private final OutputStream bytes;
    private final PrintWriter times;
    private long offset;

    public CaptureFile(Path file) throws IOException {
        this.bytes = new BufferedOutputStream(Files.newOutputStream(file));
        this.times = new PrintWriter(Files.newBufferedWriter(Path.of(file + ".times"), StandardCharsets.US_ASCII));
    }

    public void write(byte[] b, int off, int len, long epochMs) throws IOException {
        times.println(offset + " " + epochMs);
        bytes.write(b, off, len);
        offset += len;
    }

    public void flush() throws IOException {
        bytes.flush();
        times.flush();
    }

    @Override
    public void close() throws IOException {
        bytes.close();
        times.close();
    }
}
