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
}
