package heapscope.analysis;

import heapscope.chip.Chip;
import heapscope.trace.Corruption;
import heapscope.trace.Crash;
import heapscope.trace.HeapSample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Memory errors, crashes and free-heap readings as they come, capped with complete counts: the report's
 * {@link Incidents} and free-heap trends. A memory error is tied to the abort that follows it within a few lines
 * (the firmware stopping because of it), and one whose block was not known when it came (a heap dump printed
 * after it) is looked up again at the end.
 */
final class IncidentLog {
    /** Lines from a memory error to the abort it causes: the report, a blank, the abort message. */
    static final long CRASH_LINES = 16;

    private final List<Incidents.MatchedCorruption> corruptions = new ArrayList<>();
    private long corruptionCount;
    private final List<Crash> crashes = new ArrayList<>();
    private long crashCount;
    /** The latest crash, kept or not: a core dump that follows it may be its record. */
    private Crash lastCrash;
    /** Lines from a printed crash to the core dump the panic handler writes of it (registers, backtrace, prompts). */
    private static final long DUMP_LINES = 200;
    private final List<HeapSample> samples = new ArrayList<>();
    private long sampleCount;
    /** The latest and the lowest free-heap reading among those kept, -1 before the first. */
    private long lastFree = -1;
    private long lowestFree = -1;

    /** @param locate the report with the traced block its address concerns; asked only for the reports kept */
    void corruption(Corruption c, Function<Corruption, Incidents.MatchedCorruption> locate) {
        corruptionCount++;
        if (corruptions.size() < LeakAnalysis.MAX_EXAMPLES) {
            corruptions.add(locate.apply(c));
        }
    }

    void crash(Crash c) {
        if (lastCrash != null && dumpOf(c, lastCrash)) {
            c = c.printedAt(lastCrash.line());
            lastCrash = c;
            if (!crashes.isEmpty() && crashes.getLast().line() == c.printedAt()) {
                crashes.set(crashes.size() - 1, c);
                for (int i = 0; i < corruptions.size(); i++) {
                    Incidents.MatchedCorruption m = corruptions.get(i);
                    if (m.crash() != null && m.crash().line() == c.printedAt()) {
                        corruptions.set(i, m.withCrash(c));
                    }
                }
            }
            return;
        }
        lastCrash = c;
        crashCount++;
        if (crashes.size() < LeakAnalysis.MAX_EXAMPLES) {
            crashes.add(c);
        }
        for (int i = corruptions.size() - 1; i >= 0; i--) {
            Incidents.MatchedCorruption m = corruptions.get(i);
            long after = c.line() - m.report().line();
            if (after <= 0 || after > CRASH_LINES) {
                break;
            }
            if (m.crash() == null && causes(m.report(), c)) {
                corruptions.set(i, m.withCrash(c));
            }
        }
    }

    /**
     * Whether core dump {@code c} records the crash {@code printed} just before it: the panic handler prints the
     * crash, then writes the dump a few dozen lines on. The same crash shares its abort message or a program counter
     * of its backtrace with the dump's unwinding (whose first frames differ: the handler's own).
     */
    private static boolean dumpOf(Crash c, Crash printed) {
        if (c.kind() != Crash.Kind.CORE_DUMP || printed.kind() == Crash.Kind.CORE_DUMP || c.line() - printed.line() > DUMP_LINES) {
            return false;
        }
        if (!printed.reason().isEmpty() && c.reason().contains(printed.reason())) {
            return true;
        }
        return (printed.pc() >= 0 && c.backtrace().contains(printed.pc()))
                || printed.backtrace().stream().anyMatch(c.backtrace()::contains);
    }

    /** Whether crash {@code c} is the firmware stopping on report {@code r}: KASAN's abort, or poisoning's abort or assert. */
    private static boolean causes(Corruption r, Crash c) {
        return r.kasan() ? c.reason().startsWith("KASAN:") : c.kind() == Crash.Kind.ABORT || c.kind() == Crash.Kind.ASSERT;
    }

    void sample(HeapSample h) {
        sampleCount++;
        if (samples.size() < LeakAnalysis.MAX_SAMPLES) {
            samples.add(h);
            if (h.free() >= 0) {
                lastFree = h.free();
                lowestFree = lowestFree < 0 ? h.free() : Math.min(lowestFree, h.free());
            }
        }
    }

    long corruptionCount() {
        return corruptionCount;
    }

    long crashCount() {
        return crashCount;
    }

    long lastFree() {
        return lastFree;
    }

    long lowestFree() {
        return lowestFree;
    }

    List<Trend> trends() {
        return TrendAnalysis.of(samples);
    }

    /**
     * The incidents, with the regions of the matched blocks from {@code chip} (known only at the end; null: as read);
     * reports without a block are looked up again by {@code locate}, against the heap as the capture left it.
     */
    Incidents incidents(Chip chip, Function<Corruption, Incidents.MatchedCorruption> locate) {
        List<Incidents.MatchedCorruption> matched = new ArrayList<>(corruptions.size());
        for (Incidents.MatchedCorruption m : corruptions) {
            if (m.block() == null && m.report().address() != 0) {
                Incidents.MatchedCorruption again = locate.apply(m.report());
                m = again.block() == null ? m : again.withCrash(m.crash());
            }
            LeakedBlock b = m.block();
            matched.add(b == null || chip == null ? m : m.withBlock(new LeakedBlock(b.address(), b.size(), b.timeNs(), b.core(), b.context(),
                    b.stack(), chip.heapRegion(b.address()), b.sinceSnapshot())));
        }
        return new Incidents(List.copyOf(matched), corruptionCount, List.copyOf(crashes), crashCount, List.copyOf(samples), sampleCount);
    }
}
