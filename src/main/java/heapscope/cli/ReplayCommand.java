package heapscope.cli;

import heapscope.source.InputException;
import heapscope.source.InputFiles;
import heapscope.source.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plays a capture saved by 'monitor --save' back with its timing, into a serial device or TCP port.",
                "",
                "The timing comes from CAPTURE.times.",
                "The target is a serial device or pty (--to /dev/pts/3, e.g. one end of 'socat pty,raw,echo=0 pty,raw,echo=0') "
                        + "or the first client of a TCP port (--listen 4000), so monitor and analyze can be tried and tested "
                        + "without hardware."},
        footer = {"", "Exit status: 0 played, 2 unusable capture, target or arguments, 1 internal error."})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CAPTURE", description = "a file saved by monitor --save (or any log: then it plays at --rate)")
    Path capture;

    @Option(names = "--to", paramLabel = "DEVICE", description = "write into this device or pty")
    Path to;

    @Option(names = "--listen", paramLabel = "PORT", description = "serve the first client of this TCP port on loopback (0: any free port; where it waits goes to standard error)")
    Integer listen;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "X", description = "time factor: 2 plays twice as fast, 0 as fast as possible")
    double speed;

    @Option(names = "--rate", defaultValue = "11520", paramLabel = "BYTES/S", description = "pace without a .times file (default 11520: 115200 baud)")
    long rate;

    private record Chunk(long offset, long epochMs) {
    }

    @Override
    public Integer call() throws Exception {
        if ((to == null) == (listen == null)) {
            throw new InputException("give exactly one of --to DEVICE and --listen PORT");
        }
        InputFiles.readable(capture);
        OutputFiles.check(List.of(capture, Path.of(capture + ".times")), new OutputFiles.Target("--to", to));
        byte[] data = Files.readAllBytes(capture);
        List<Chunk> chunks = chunks(data.length);
        if (to != null) {
            try (OutputStream out = Files.newOutputStream(to)) {
                play(data, chunks, out);
            }
        } else {
            try (ServerSocket server = listen(listen)) {
                // the port may be 0 (any free one) and nothing shows while no client comes: say where to connect
                PrintWriter err = spec.commandLine().getErr();
                err.println("heapscope replay: waiting for a client on " + server.getInetAddress().getHostAddress() + ":"
                        + server.getLocalPort() + " (e.g. heapscope monitor tcp://" + server.getInetAddress().getHostAddress()
                        + ":" + server.getLocalPort() + ")");
                err.flush();
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    play(data, chunks, out);
                }
            }
        }
        return 0;
    }

    private static ServerSocket listen(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new InputException("--listen " + port + ": not a TCP port (0..65535; 0 for any free one)");
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            return new ServerSocket(port, 1, loopback);
        } catch (BindException e) {
            throw new InputException("--listen " + port + ": cannot listen on " + loopback.getHostAddress() + ":" + port
                    + ": " + e.getMessage() + (port < 1024 ? " (ports below 1024 need privileges)" : " (another program uses it?)"));
        }
    }

    /** Chunk boundaries and times from CAPTURE.times, else fixed-size chunks at --rate. */
    private List<Chunk> chunks(int length) throws IOException {
        Path times = Path.of(capture + ".times");
        List<Chunk> out = new ArrayList<>();
        if (Files.isRegularFile(times)) {
            int n = 0;
            for (String line : Files.readAllLines(times)) {
                n++;
                String[] f = line.trim().split(" ");
                try {
                    out.add(new Chunk(Long.parseLong(f[0]), Long.parseLong(f[1])));
                } catch (RuntimeException e) {
                    throw new InputException(times + ": line " + n + ": expected 'byte-offset epoch-ms'");
                }
            }
            return out;
        }
        long step = Math.max(1, rate / 20);
        for (long off = 0; off < length; off += step) {
            out.add(new Chunk(off, off * 1000 / Math.max(1, rate)));
        }
        return out;
    }

    private void play(byte[] data, List<Chunk> chunks, OutputStream out) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long first = chunks.isEmpty() ? 0 : chunks.get(0).epochMs();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            int from = (int) Math.min(c.offset(), data.length);
            int end = (int) Math.min(i + 1 < chunks.size() ? chunks.get(i + 1).offset() : data.length, data.length);
            if (speed > 0) {
                long due = (long) ((c.epochMs() - first) * 1_000_000 / speed);
                long wait = due - (System.nanoTime() - start);
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            out.write(data, from, end - from);
            out.flush();
        }
        if (!chunks.isEmpty() && chunks.get(chunks.size() - 1).offset() > data.length) {
            System.err.println("heapscope: " + capture + ".times goes beyond the capture; played what there is");
        }
    }
}
