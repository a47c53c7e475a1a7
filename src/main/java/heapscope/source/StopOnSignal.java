package heapscope.source;

/**
 * Ends a live source when the JVM is asked to stop (Ctrl-C, SIGTERM), then holds the exit until the command that
 * reads it has finished: the source reports end of input, the pipeline runs to its end as for any capture and prints
 * its report, and only then may the process exit. The command's thread tells it is done by ending, which is why the
 * entry point returns instead of calling {@code System.exit} while the JVM shuts down ({@link #inProgress()}).
 */
public final class StopOnSignal implements AutoCloseable {
    /** How long a stopping process waits for the report of what came before it exits anyway. */
    private static final long WAIT_MS = 30_000;

    private final Thread hook;

    private StopOnSignal(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code stop} on the way out and waits for the calling thread to end; {@link #close()} when no longer needed. */
    public static StopOnSignal install(String name, Runnable stop) {
        Thread owner = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                owner.join(WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "heapscope-stop " + name);
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            stop.run(); // the signal came first: the source ends at once
        }
        return new StopOnSignal(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: it ends when this thread does
        }
    }

    /** Whether the JVM is shutting down (a signal, or another thread's exit): hooks may wait for the caller to end. */
    public static boolean inProgress() {
        try {
            Runtime.getRuntime().removeShutdownHook(new Thread(() -> { }));
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }
}
