package heapscope.coredump.heap;

import java.util.List;

/** What the dump tells of the firmware's standalone heap trace: its records at the crash, or why there are none. */
public sealed interface HeapTrace {
    /**
     * The record buffer as {@code heap_trace_dump()} would have printed it at the crash.
     *
     * @param leaksMode    true for HEAP_TRACE_LEAKS (freed records are dropped), false for HEAP_TRACE_ALL; null when
     *                     the mode is not in the dump
     * @param tracing      whether tracing was on at the crash; null when not in the dump
     * @param records      in the order the firmware keeps them, oldest allocation first
     * @param allocations  allocations traced since heap_trace_start(), -1 when not in the dump
     * @param frees        frees traced since then, -1 when not in the dump
     * @param warnings     where the buffer disagrees with itself or leaves the dump, one line each
     */
    record Read(Boolean leaksMode, Boolean tracing, List<TraceRecord> records, long capacity, long highWaterMark,
                boolean overflowed, long allocations, long frees, List<String> warnings) implements HeapTrace {
        public Read {
            records = List.copyOf(records);
            warnings = List.copyOf(warnings);
        }
    }

    /** The firmware does not trace standalone, or the dump does not hold the buffer: the reason, for the report. */
    record NotRead(String reason) implements HeapTrace {
    }
}
