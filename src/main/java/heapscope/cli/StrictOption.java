package heapscope.cli;

import heapscope.report.Escape;
import heapscope.trace.Condition;
import heapscope.trace.Recording;
import picocli.CommandLine.Option;

/**
 * --strict, for CI: a capture whose figures are partial or whose ELF is not its firmware (any of
 * {@link Recording#conditions()}, the list every report puts above its figures) is unusable input, status 2,
 * after the report is written as usual.
 */
final class StrictOption {
    /** Exit status under --strict when a capture has a condition: the status of unusable input. */
    static final int UNTRUSTED = 2;

    @Option(names = "--strict", description = "exit with status 2 (after writing the report) when a capture is incomplete or "
            + "the ELF does not match it: every condition the report names above its figures (JSON: conditions)")
    boolean strict;

    /**
     * The capture's warnings on standard error ({@link Common#warnings}); under --strict without its conditions,
     * which {@link #status} says, so that each is said once.
     */
    void warnings(Recording recording) {
        Common.warnings(recording, !strict);
    }

    /**
     * The command's exit status under this option: {@code status} as it is, or {@link #UNTRUSTED} with a line on
     * standard error for each condition when --strict is given and a recording has one (a mismatched ELF by name
     * only: the ELF check's warning has said it).
     */
    int status(int status, Recording... recordings) {
        if (!strict) {
            return status;
        }
        int conditions = 0;
        for (Recording r : recordings) {
            for (Condition c : r.conditions()) {
                conditions++;
                // the ELF check's notice has said a mismatch in full already (Common.notices): name it only
                System.err.println("heapscope: --strict: " + c.kind().id()
                        + (c.effect() == Condition.Effect.MISMATCHED ? ": " + Escape.terminal(c.source()) + " (see the warning above)" : ": " + Escape.terminal(c.reason())));
            }
        }
        return conditions == 0 ? status : UNTRUSTED;
    }
}
