package heapscope;

import heapscope.sysview.SvWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small single-core ESP32 SystemView trace for tests: the preamble OpenOCD and ESP-IDF send (trace start,
 * INIT at 40 MHz, system description, heap module at 512), then whatever the test adds through {@link #w}.
 */
public final class TinyTrace {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** Writes the test's own packets (core 0, heap module at 512). */
    public final SvWriter w = new SvWriter(bytes, false);

    public TinyTrace() {
        this("N=FreeRTOS Application,D=esp32,C=xtensa,O=FreeRTOS");
    }

    /** A trace whose system description (SYSDESC) is DESCRIPTION: another chip, an ELF digest. */
    public TinyTrace(String description) {
        try {
            w.start();
            w.traceStart(0, 0);
            w.init(0, 40_000_000, 160_000_000, 0x3F400000L, 0, 10);
            w.sysdesc(0, description, 10);
            w.moduleDesc(0, 0, 512, SvWriter.HEAP_MODULE, 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names a task and switches to it. */
    public TinyTrace task(long tid, String name) throws IOException {
        w.taskInfo(0, tid, 5, name, 10);
        w.taskStartExec(0, tid, 10);
        return this;
    }

    public Path write(Path file) throws IOException {
        return Files.write(file, bytes.toByteArray());
    }
}
