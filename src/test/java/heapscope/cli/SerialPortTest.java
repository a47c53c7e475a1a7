package heapscope.cli;

import heapscope.Fixtures;
import heapscope.sim.ConnectionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor on a virtual serial port (a socat pty pair, as a USB adapter would appear): the port vanishes in
 * the middle of a heap trace dump (the device resets) and comes back; nothing received is lost, the saved
 * capture is byte-identical to what was sent, and the final report is that of the whole log.
 */
@Timeout(120)
class SerialPortTest {
    @TempDir
    Path dir;

    @Test
    void portVanishesMidDumpAndReturns() throws Exception {
        StringWriter w = new StringWriter();
        ConnectionScenario.Truth truth = ConnectionScenario.writeLog(w, 3, false, ConnectionScenario.Stacks.synthetic());
        byte[] bytes = w.toString().getBytes(StandardCharsets.UTF_8);
        int cut = w.toString().indexOf("allocated CPU", w.toString().lastIndexOf("====== Heap Trace:")) + 5; // inside the last dump
        Path saved = dir.resolve("capture.log");
        PtyPair first = PtyPair.in(dir);
        Path host = first.host();
        CompletableFuture<CliRun> monitor = CompletableFuture.supplyAsync(() -> CliRun.of("monitor", host.toString(), "--reconnect", "3",
                "--save", saved.toString(), "--color", "never"));
        Thread.sleep(1500); // the monitor opens the port
        first.send(Arrays.copyOfRange(bytes, 0, cut));
        Thread.sleep(1000);
        first.close(); // the port disappears
        Thread.sleep(500);
        PtyPair second = PtyPair.in(dir); // and returns under the same name
        Thread.sleep(1500); // the monitor reopens it
        second.send(Arrays.copyOfRange(bytes, cut, bytes.length));
        Thread.sleep(1000);
        second.close();
        CliRun run = monitor.get(60, TimeUnit.SECONDS);
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).contains("port gone").contains("port back");
        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
        assertThat(run.out()).contains("Found " + truth.leakedBytes() + " leaked bytes in " + truth.leakedBlocks() + " blocks.");
    }

    @Test
    void aRealLogThroughThePortReportsItsCorruptionAndCrash() throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.corpus("serial-logs/issue-espressif-esp-idf-1582-corrupt_heap_bad_tail_abort.txt"));
        PtyPair pair = PtyPair.in(dir);
        CompletableFuture<CliRun> monitor = CompletableFuture.supplyAsync(() -> CliRun.of("monitor", pair.host().toString(), "--reconnect", "1",
                "--color", "never", "--status", "0"));
        Thread.sleep(1500);
        pair.send(bytes);
        Thread.sleep(1000);
        pair.close();
        CliRun run = monitor.get(60, TimeUnit.SECONDS);
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("CORRUPT HEAP: Bad tail at 0x3ffe04d1").contains("Memory errors (2 reports)").contains("Crashes (1)")
                .contains("abort() was called at PC 0x400889bb on core 0");
    }

    /** A port that cannot be opened says why, in one line: today's two cases a test can make, missing and busy. */
    @Test
    void aPortThatCannotBeOpenedSaysWhy() throws Exception {
        CliRun missing = CliRun.of("monitor", "/dev/ttyHEAPSCOPE-missing", "--reconnect", "0");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().lines().toList()).singleElement().asString()
                .startsWith("heapscope: /dev/ttyHEAPSCOPE-missing: no such serial port (is the board connected?");

        PtyPair pair = PtyPair.in(dir);
        Path host = pair.host();
        // another program holding the port, as a second monitor would (jSerialComm takes an exclusive flock)
        Process holder = new ProcessBuilder("flock", "-x", host.toString(), "-c", "echo locked; sleep 60").start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7), StandardCharsets.UTF_8)).isEqualTo("locked\n");
            CliRun busy = CliRun.of("monitor", host.toString(), "--reconnect", "0");
            assertThat(busy.status()).isEqualTo(2);
            assertThat(busy.err().lines().toList()).singleElement().asString()
                    .startsWith("heapscope: " + host + ": busy: another program has the port open");
        } finally {
            holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            pair.close();
        }
    }
}
