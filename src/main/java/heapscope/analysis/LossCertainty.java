package heapscope.analysis;

import heapscope.trace.Condition;
import heapscope.trace.Recording;

import java.util.List;
import java.util.Locale;

/**
 * Which leaks a loss of data in transit can have made up. Only a block allocated before the last loss can have lost
 * its free there; one allocated after it was seen to the end. So when lost bytes are all that makes the capture
 * incomplete, the condition says how much of the leak is certain, in every report's headline.
 */
final class LossCertainty {
    /** Where the figure begins in the condition's reason: a second judgement replaces the first. */
    private static final String MARKER = "; of the leaks, ";

    private LossCertainty() {
    }

    static void apply(LeakReport report) {
        Recording rec = report.recording();
        long lossNs = rec.lastLossNs();
        if (lossNs < 0) {
            return;
        }
        List<Condition> conditions = rec.conditions();
        boolean otherLoss = conditions.stream().anyMatch(c -> c.kind().effect() == Condition.Effect.INCOMPLETE
                && c.kind() != Condition.Kind.LOST_BYTES);
        if (otherLoss) {
            return; // events dropped elsewhere (the device's buffer, a cut) make every leak uncertain as well
        }
        long bytes = 0;
        long blocks = 0;
        for (LeakedBlock b : report.leaks()) {
            if (b.timeNs() > lossNs) {
                bytes += b.size();
                blocks++;
            }
        }
        String figure = MARKER + (blocks == 0 ? "none was allocated after it"
                : String.format(Locale.ROOT, "the %,d bytes in %,d %s allocated after it are certain", bytes, blocks,
                blocks == 1 ? "block" : "blocks"));
        for (Condition c : conditions) {
            if (c.kind() == Condition.Kind.LOST_BYTES) {
                int at = c.reason().indexOf(MARKER);
                String base = at < 0 ? c.reason() : c.reason().substring(0, at);
                rec.update(new Condition(c.kind(), c.source(), base + figure, c.action()));
            }
        }
    }
}
