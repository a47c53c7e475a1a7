package heapscope.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Standard input's terminal set up for the monitor's keys, as idf.py monitor sets it: each key as typed (no line
 * editing), not echoed (the device echoes what it wants), Ctrl-C, Ctrl-Z and Ctrl-V as bytes rather than signals or
 * editing. Output processing is left alone, so lines still end where they should. {@link #close} puts back the
 * settings found, once, whoever calls it first: the end of the session, an error, or the shutdown hook this
 * installs for a kill.
 * Done through stty on standard input: no native code, and where there is no stty (Windows) there are no keys.
 */
public final class TerminalMode implements AutoCloseable {
    /** stty waits for the terminal; from a background job it is stopped (SIGTTOU): then there are no keys. */
    private static final long STTY_WAIT_MS = 2000;

    private final String saved;
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread onExit = new Thread(this::restore, "heapscope-terminal");

    private TerminalMode(String saved) {
        this.saved = saved;
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Key mode on standard input's terminal; empty when standard input is not a terminal (or has no stty). */
    public static Optional<TerminalMode> keys() {
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || stty("-icanon", "-echo", "-isig", "-iexten", "min", "1", "time", "0").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TerminalMode(saved.get()));
    }

    /** stty's output on standard input's terminal, empty when it failed. */
    private static Optional<String> stty(String... args) {
        List<String> command = new ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(Redirect.INHERIT).redirectError(Redirect.DISCARD).start();
            try (InputStream out = p.getInputStream()) {
                if (!p.waitFor(STTY_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                String text = new String(out.readAllBytes(), StandardCharsets.US_ASCII).trim();
                return p.exitValue() == 0 ? Optional.of(text) : Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The terminal as it was before; safe to call from any thread, any number of times. */
    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook restores (or restored) it
        }
    }

    private void restore() {
        if (restored.compareAndSet(false, true)) {
            stty(saved);
        }
    }
}
