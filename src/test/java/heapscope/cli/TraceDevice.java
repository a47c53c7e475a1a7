package heapscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A device as ESP-IDF v6 firmware with the apptrace UART or USB-Serial-JTAG transport behaves (esp_sysview's
 * SEGGER_RTT_esp.c): silent until the host's start command {@code 0x01}, then the raw SystemView stream in the link's
 * packets (64 bytes, USB-Serial-JTAG's full-speed bulk size, with short ones between), until the stop command
 * {@code 0x02}, which it answers with TRACE_STOP; then, as a board on a shared UART might, a boot banner that is not
 * the trace.
 */
record TraceDevice(byte[] stream, int packet, long seed) {
    /** TRACE_STOP (id 11) with a zero time delta. */
    static final byte[] TRACE_STOP = {0x0B, 0x00};
    static final byte[] BANNER = "ets Jun  8 2016 00:22:57\r\nrst:0x1 (POWERON_RESET),boot:0x13\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Serves one capture on the link; completes when the stop was answered. */
    CompletableFuture<Void> serve(InputStream fromHost, OutputStream toHost) {
        return CompletableFuture.runAsync(() -> {
            try {
                waitFor(fromHost, 0x01);
                CountDownLatch stopped = new CountDownLatch(1);
                Thread stop = new Thread(() -> {
                    try {
                        waitFor(fromHost, 0x02);
                    } catch (IOException ignored) {
                        // the host went away
                    }
                    stopped.countDown();
                });
                stop.start();
                Random random = new Random(seed);
                for (int at = 0; at < stream.length && stopped.getCount() > 0; ) {
                    int n = Math.min(stream.length - at, random.nextInt(8) == 0 ? 1 + random.nextInt(packet) : packet);
                    toHost.write(stream, at, n);
                    toHost.flush();
                    at += n;
                    if (random.nextInt(32) == 0) {
                        Thread.sleep(random.nextInt(20)); // the firmware pauses between bursts
                    }
                }
                stopped.await();
                toHost.write(TRACE_STOP);
                toHost.flush();
                Thread.sleep(100);
                toHost.write(BANNER);
                toHost.flush();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, TraceDevice::thread);
    }

    /** Runs on a thread of its own: a device blocks for as long as a capture lasts, so not on the shared pool. */
    static void thread(Runnable r) {
        Thread t = new Thread(r, "test-device");
        t.setDaemon(true);
        t.start();
    }

    private static void waitFor(InputStream in, int command) throws IOException {
        for (int b = in.read(); b != command; b = in.read()) {
            if (b < 0) {
                throw new IOException("the host went away before command " + command);
            }
        }
    }
}
