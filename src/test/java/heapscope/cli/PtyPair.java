package heapscope.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A virtual serial port, as a USB adapter would appear: a socat pty pair whose {@code host} end the monitor opens
 * and whose {@code device} end a test writes the firmware's output to and reads the keys sent from.
 */
record PtyPair(Path device, Path host, Process socat) implements AutoCloseable {
    static PtyPair in(Path dir) throws IOException, InterruptedException {
        Path device = dir.resolve("dev");
        Path host = dir.resolve("host");
        Process p;
        try {
            p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + device, "pty,raw,echo=0,link=" + host).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("socat is needed for this test: run scripts/deps/socat.sh", e);
        }
        for (int i = 0; i < 50 && !(Files.exists(device) && Files.exists(host)); i++) {
            Thread.sleep(100);
        }
        assertThat(Files.exists(host)).as("socat made the pty pair").isTrue();
        return new PtyPair(device, host, p);
    }

    /** Writes to the device end in pieces, as a UART delivers. */
    void send(byte[] bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(device)) {
            for (int i = 0; i < bytes.length; i += 256) {
                out.write(bytes, i, Math.min(256, bytes.length - i));
                out.flush();
            }
        }
    }

    /** What arrives at the device end (the keys sent), byte for char. */
    Collected received() throws IOException {
        return new Collected(Files.newInputStream(device), StandardCharsets.ISO_8859_1);
    }

    /** The port disappears, as when the adapter is unplugged. */
    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        socat.waitFor(5, TimeUnit.SECONDS);
    }
}
