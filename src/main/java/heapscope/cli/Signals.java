package heapscope.cli;

import java.lang.reflect.Proxy;

/**
 * Signals a live command acts on: SIGUSR1 prints the report so far, SIGINT stops a capture cleanly. The JDK's signal
 * API is unsupported but present in every JDK; where it is not, the command goes without.
 */
final class Signals {
    private Signals() {
    }

    /** Runs ACTION on the named signal instead of the JVM's default; false where the platform has no such signal. */
    static boolean on(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (p, m, args) -> {
                        if (m.getName().equals("handle")) {
                            action.run();
                        }
                        return null;
                    });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            return false;
        }
    }

    /** kill -USR1 PID runs REPORT (the report so far, without stopping). */
    static void reportOnUsr1(Runnable report) {
        if (!on("USR1", report)) {
            System.err.println("heapscope: no SIGUSR1 on this platform; the report comes at the end");
        }
    }
}
