package heapscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A socat pty pair for the serial benchmarks: {@code device} is written as the firmware would, {@code host} read as the port. */
record SocatPty(Path device, Path host, Process socat) implements AutoCloseable {
    static SocatPty in(Path dir, String name) throws IOException, InterruptedException {
        Path device = dir.resolve("dev" + name);
        Path host = dir.resolve("host" + name);
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + device, "pty,raw,echo=0,link=" + host)
                .redirectErrorStream(true).start();
        for (int i = 0; i < 50 && !(Files.exists(device) && Files.exists(host)); i++) {
            Thread.sleep(100);
        }
        return new SocatPty(device, host, socat);
    }

    @Override
    public void close() {
        socat.destroy();
    }
}
