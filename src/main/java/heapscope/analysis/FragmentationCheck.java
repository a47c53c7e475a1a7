package heapscope.analysis;

import heapscope.trace.Alloc;
import heapscope.trace.HeapSample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Holds each failed allocation against the heap readings around it as they come: the one pass's part of {@link Fragmentation}. */
final class FragmentationCheck {
    /** The latest reading with a largest free block of each whole heap (label). */
    private final Map<String, HeapSample> latest = new LinkedHashMap<>();
    /** Failures that came before any reading: judged against the first one after (beyond the first thousand, left unjudged). */
    private final List<Alloc> waiting = new ArrayList<>();
    private final List<Fragmentation.Failure> examples = new ArrayList<>();
    private Fragmentation.Failure firstStarved;
    private long failures;
    private final long[] causes = new long[Fragmentation.Cause.values().length];

    void sample(HeapSample h) {
        if (h.largestFree() < 0 || h.free() < 0 || !wholeHeap(h.label())) {
            return;
        }
        if (latest.size() < LeakAnalysis.MAX_EXAMPLES || latest.containsKey(h.label())) {
            latest.put(h.label(), h);
        }
        for (Alloc a : waiting) {
            judge(a, true);
        }
        waiting.clear();
    }

    void failed(Alloc a) {
        failures++;
        if (latest.isEmpty()) {
            if (waiting.size() < LeakAnalysis.MAX_EXAMPLES) {
                waiting.add(a);
            }
            return;
        }
        judge(a, false);
    }

    private void judge(Alloc a, boolean after) {
        HeapSample most = null;
        HeapSample fits = null;
        // the heap info of the capabilities the request asked for, when the capture has it; else every heap read
        HeapSample same = a.caps() < 0 ? null : latest.get(String.format(Locale.ROOT, "caps 0x%08X", a.caps()));
        for (HeapSample h : same != null ? List.of(same) : latest.values()) {
            if (most == null || h.free() > most.free()) {
                most = h;
            }
            if (h.largestFree() >= a.size() && fits == null) {
                fits = h;
            }
        }
        Fragmentation.Cause cause = fits != null ? Fragmentation.Cause.ROOM
                : most.free() >= a.size() ? Fragmentation.Cause.FRAGMENTATION : Fragmentation.Cause.EXHAUSTION;
        causes[cause.ordinal()]++;
        Fragmentation.Failure f = new Fragmentation.Failure(a.size(), a.timeNs(), cause, fits != null ? fits : most, after);
        if (examples.size() < LeakAnalysis.MAX_EXAMPLES) {
            examples.add(f);
        }
        if (firstStarved == null && cause == Fragmentation.Cause.FRAGMENTATION) {
            firstStarved = f;
        }
    }

    private static boolean wholeHeap(String label) {
        return !label.contains(" @ ") && !label.startsWith("heap ") && !label.startsWith("task ");
    }

    Fragmentation report() {
        if (failures == 0) {
            return Fragmentation.NONE;
        }
        long judged = 0;
        for (long n : causes) {
            judged += n;
        }
        return new Fragmentation(failures, failures - judged, causes[Fragmentation.Cause.FRAGMENTATION.ordinal()],
                causes[Fragmentation.Cause.EXHAUSTION.ordinal()], causes[Fragmentation.Cause.ROOM.ordinal()], List.copyOf(examples), firstStarved);
    }
}
