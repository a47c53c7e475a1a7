package heapscope.export;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Google's pprof as shipped with Go ({@code go tool pprof}), the reference reader of the pprof format. Its
 * absence fails the test: the export's conformance is only proven by a real consumer.
 */
final class GoPprof {
    private GoPprof() {
    }

    static Path go() {
        return find(System.getenv().getOrDefault("PATH", ""));
    }

    /** {@code go} on the search path (golang-go links it into /usr/bin); fails the test without it. */
    static Path find(String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "go");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("`go` is not installed: run scripts/deps/golang.sh (or ./test, which runs it) to install Debian's golang-go,"
                + " whose `go tool pprof` these tests read the pprof export with");
    }

    /** Runs {@code go tool pprof ARGS PROFILE} and returns its standard output; a failure fails the test. */
    static String run(Path profile, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(go().toString(), "tool", "pprof"));
        command.addAll(List.of(args));
        command.add(profile.toString());
        Path err = Files.createTempFile(profile.getParent(), "pprof", ".err");
        Process p = new ProcessBuilder(command)
                .redirectError(err.toFile())
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("go tool pprof did not finish");
        }
        String stderr = Files.readString(err);
        if (p.exitValue() != 0) {
            fail("go tool pprof " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + stderr);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
