package heapscope.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything about a capture except its event stream: interned stacks and contexts, what the target said about
 * itself, and the decoders' warnings. Decoders fill it while they read; analyses and reports read it.
 */
public final class Recording {
    /** Keeps a pathological input from growing the warning list without bound; the rest are only counted. */
    public static final int MAX_WARNINGS = 1000;
    /** Most core dumps whose bytes a recording keeps: the last ones of a log that crashed again and again. */
    public static final int MAX_CORE_DUMPS = 4;

    private final StackTable stacks;
    private final ContextTable contexts = new ContextTable();
    private final LogNames logNames = new LogNames();
    private final List<String> sources = new ArrayList<>();
    private final Map<String, String> system = new LinkedHashMap<>();
    private final List<Warning> warnings = new ArrayList<>();
    private long suppressedWarnings;
    private final List<Warning> damage = new ArrayList<>();
    private final List<Condition> conditions = new ArrayList<>();
    private long messages;
    private String noCallers;
    private long firstNs = -1;
    private long lastNs = -1;
    private String format = "";
    private String chip;
    private String chipSource;
    private long cpuFrequencyHz;
    private long timerFrequencyHz;
    private int cores = 1;
    private int targetCores;
    /** Id of a SystemView trace's heap allocation event (the free is the next), -1 until known. */
    private int heapEvents = -1;
    /** The bytes of the capture's last core dumps by line, for reading their heap once an ELF says how. */
    private final Map<Long, KeptCoreDump> coreDumps = new LinkedHashMap<>();
    /** When a stream last lost data in transit, in capture time; -1 when none did. */
    private long lastLossNs = -1;

    public Recording() {
        this(StackTable.MAX_STACKS, StackTable.MAX_FRAMES);
    }

    /** A recording whose stack table holds at most MAX_STACKS stacks and MAX_FRAMES frames ({@link StackTable}). */
    public Recording(int maxStacks, long maxFrames) {
        stacks = new StackTable(maxStacks, maxFrames, this::stackTableFull);
    }

    /** Id of the heap allocation event of a SystemView trace (module description, inferred or given), or -1. */
    public int heapEvents() {
        return heapEvents;
    }

    public void setHeapEvents(int id) {
        heapEvents = id;
    }

    public StackTable stacks() {
        return stacks;
    }

    private void stackTableFull() {
        warn(new Warning(name(), Warning.Unit.NONE, -1, String.format(Locale.ROOT,
                "stack table full (%,d distinct call stacks or %,d frames): every later new call stack is counted under one"
                        + " 'stack table full' stack; totals stay exact, their breakdown by call stack is lost",
                stacks.maxStacks(), stacks.maxFrames())));
    }

    public ContextTable contexts() {
        return contexts;
    }

    /** The code addresses the log itself names (idf.py monitor's decoded lines); empty for other captures. */
    public LogNames logNames() {
        return logNames;
    }

    public List<String> sources() {
        return Collections.unmodifiableList(sources);
    }

    /** The inputs as given, for a message about the whole capture: "capture" when none was named. */
    public String name() {
        return sources.isEmpty() ? "capture" : String.join(", ", sources);
    }

    public void addSource(String source) {
        sources.add(source);
    }

    /** Input format and layout as a short phrase, e.g. {@code SystemView, one file per core}. */
    public String format() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    /** Key/value facts the target reported about itself (SystemView SYSDESC: N, D, C, O, ELF_SHA256). */
    public Map<String, String> system() {
        return Collections.unmodifiableMap(system);
    }

    public void putSystem(String key, String value) {
        system.putIfAbsent(key, value);
    }

    /** Chip name as ESP-IDF spells it ({@code esp32}, {@code esp32s3}, ...), or null when the capture doesn't say. */
    public String chip() {
        return chip;
    }

    /** Where the capture named its chip ({@code ROM banner, line 1}), or null when it did not. */
    public String chipSource() {
        return chipSource;
    }

    /**
     * The capture names its chip; the first naming stands. Returns the chip in use when it is another than
     * {@code chip} (the caller may warn), else null.
     *
     * @param source where it says so, for the reader: {@code ROM banner, line 1}, {@code SystemView header}
     */
    public String setChip(String chip, String source) {
        if (this.chip == null) {
            this.chip = chip;
            this.chipSource = source;
            return null;
        }
        return this.chip.equals(chip) ? null : this.chip;
    }

    public long cpuFrequencyHz() {
        return cpuFrequencyHz;
    }

    public void setCpuFrequencyHz(long hz) {
        this.cpuFrequencyHz = hz;
    }

    /** Frequency of the timestamp counter, 0 when unknown. */
    public long timerFrequencyHz() {
        return timerFrequencyHz;
    }

    public void setTimerFrequencyHz(long hz) {
        this.timerFrequencyHz = hz;
    }

    /** Cores of the target: those traced, or more when the chip has cores whose stream was not given. */
    public int cores() {
        return Math.max(cores, targetCores);
    }

    /** Cores whose events the capture holds. */
    public int tracedCores() {
        return cores;
    }

    public void setCores(int cores) {
        this.cores = Math.max(this.cores, cores);
    }

    /** The chip has {@code cores} cores, traced or not (a missing stream is a {@link Condition.Kind#MISSING_CORE}). */
    public void setTargetCores(int cores) {
        this.targetCores = Math.max(this.targetCores, cores);
    }

    public List<Warning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Warnings beyond {@link #MAX_WARNINGS}, counted but not kept. */
    public long suppressedWarnings() {
        return suppressedWarnings;
    }

    public void warn(Warning warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        } else {
            suppressedWarnings++;
        }
    }

    /**
     * Why blocks of this capture have no callers, when the capture says so (callers printed in a form that cannot be
     * read back, or not captured); the first reason given is kept.
     */
    public void noCallersBecause(String reason) {
        if (noCallers == null) {
            noCallers = reason;
        }
    }

    /** Why a stack without callers has none: what the capture said, else what leaves them out on the device. */
    public String noCallersReason() {
        return noCallers != null ? noCallers : "CONFIG_HEAP_TRACING_STACK_DEPTH is 0";
    }

    /**
     * A line of other output the decoder read (at TIME_NS, or -1 if it has no time) without making an event of it:
     * a report's message count and time span cover the whole capture, whether or not its messages were asked for.
     */
    public void sawMessage(long timeNs) {
        messages++;
        if (timeNs >= 0) {
            firstNs = firstNs < 0 ? timeNs : Math.min(firstNs, timeNs);
            lastNs = Math.max(lastNs, timeNs);
        }
    }

    /** Messages seen by {@link #sawMessage}. */
    public long messages() {
        return messages;
    }

    /** First and last time of the messages seen by {@link #sawMessage}, -1 when none had a time. */
    public long firstMessageNs() {
        return firstNs;
    }

    public long lastMessageNs() {
        return lastNs;
    }

    /**
     * A warning that decoding of a stream stopped before its end (damaged or cut-off data): what follows is lost,
     * so every figure of the capture is a lower bound, and reports say so up front.
     */
    public void warnDamage(Warning warning) {
        warn(warning);
        if (damage.size() < MAX_WARNINGS) {
            damage.add(warning);
        }
    }

    /** The places where decoding stopped early, in the order found; empty for an intact capture. */
    public List<Warning> damage() {
        return Collections.unmodifiableList(damage);
    }

    /**
     * Notes that a stream lost data in transit at {@code ns}: a block allocated before the latest such moment may have
     * lost its free and look leaked; one allocated after it cannot.
     */
    public void noteLoss(long ns) {
        lastLossNs = Math.max(lastLossNs, ns);
    }

    /** The latest moment a stream lost data in transit, -1 when none did. */
    public long lastLossNs() {
        return lastLossNs;
    }

    /**
     * A core dump's bytes, and the last allocation the capture reported as failed before it (the one it may have
     * crashed on), null when none.
     */
    public record KeptCoreDump(byte[] bytes, Alloc failedBefore) {
    }

    /**
     * Keeps the core dump printed at {@code line} (the oldest kept goes past {@link #MAX_CORE_DUMPS}); the decoder
     * calls it while the monitor's analysis may read them.
     */
    public synchronized void keepCoreDump(long line, KeptCoreDump dump) {
        coreDumps.put(line, dump);
        if (coreDumps.size() > MAX_CORE_DUMPS) {
            coreDumps.remove(coreDumps.keySet().iterator().next());
        }
    }

    /** The kept core dumps by the line they were printed at, in log order: a copy. */
    public synchronized Map<Long, KeptCoreDump> coreDumps() {
        return new LinkedHashMap<>(coreDumps);
    }

    /** Records why the figures are not the whole truth (once: a condition noted again is not repeated). */
    public void note(Condition condition) {
        if (!conditions.contains(condition) && conditions.size() < MAX_WARNINGS) {
            conditions.add(condition);
        }
    }

    /**
     * Records a condition in place of an earlier one of the same kind about the same source, so that a decoder can
     * keep a running count in its reason.
     */
    public void update(Condition condition) {
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            if (c.kind() == condition.kind() && c.source().equals(condition.source())) {
                conditions.set(i, condition);
                return;
            }
        }
        note(condition);
    }

    /**
     * Every reason the report's figures are partial or its names untrustworthy, for the top of every report: where
     * decoding stopped early first (one condition for all such places), then the others in the order found.
     */
    public List<Condition> conditions() {
        if (damage.isEmpty()) {
            return Collections.unmodifiableList(conditions);
        }
        List<Condition> out = new ArrayList<>(conditions.size() + 1);
        Warning first = damage.get(0);
        String more = damage.size() > 1 ? " (and " + (damage.size() - 1) + " more places)" : "";
        String reason = first.unit() == Warning.Unit.BYTE
                ? "decoding of " + first.source() + " stopped at byte " + first.position() + more
                        + ", on damaged or cut-off data; the figures cover only the events before it"
                : first.format() + more;
        out.add(new Condition(Condition.Kind.DAMAGED, first.source(), reason,
                "Capture again, and check what cut the data short (disk full, OpenOCD or the terminal stopped early)."));
        out.addAll(conditions);
        return Collections.unmodifiableList(out);
    }

    /** Whether the capture holds every event: no condition that makes the figures partial. */
    public boolean complete() {
        return conditions().stream().noneMatch(c -> c.effect() == Condition.Effect.INCOMPLETE);
    }

    /** Whether the ELF given matched the capture: no condition that makes its names untrustworthy. */
    public boolean elfMatches() {
        return conditions.stream().noneMatch(c -> c.effect() == Condition.Effect.MISMATCHED);
    }
}
