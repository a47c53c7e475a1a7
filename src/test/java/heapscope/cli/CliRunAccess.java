package heapscope.cli;

/** Lets tests of other packages run the command line and read its standard output. */
public final class CliRunAccess {
    private CliRunAccess() {
    }

    public static String run(String... args) {
        CliRun r = CliRun.of(args);
        if (r.status() != 0) {
            throw new AssertionError("status " + r.status() + ": " + r.err());
        }
        return r.out();
    }

    /** Runs the command line and returns its exit status (a failed budget is status 3, not an error here). */
    public static int status(String... args) {
        return CliRun.of(args).status();
    }
}
