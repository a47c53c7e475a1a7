package heapscope.coredump.heap;

import heapscope.coredump.Memory;
import heapscope.dwarf.StructLayout;
import heapscope.elf.ElfSymbol;
import heapscope.symbols.Symbolizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ESP-IDF's standalone heap trace ({@code CONFIG_HEAP_TRACING_STANDALONE}) from a dump that saved DRAM: the
 * static {@code records} of heap_trace_standalone.c, found by its symbol (the local objects the symbol table lists
 * after that file's name), typed by the DWARF of {@code records_t} and {@code heap_trace_record_t}. ESP-IDF v5.1 and
 * later keep the records in a list ({@code records.list}, linked through {@code tailq_list}); earlier versions keep
 * the first {@code count} entries of the buffer.
 */
public final class TraceBuffer {
    static final String FILE = "heap_trace_standalone.c";
    static final String RECORDS = "records_t";
    static final String RECORD = "heap_trace_record_t";
    /** The layouts the report names. */
    public static final String SOURCE = "symbols of " + FILE + " and DWARF types " + RECORDS + " and " + RECORD + " of the ELF";
    /** More callers than any CONFIG_HEAP_TRACING_STACK_DEPTH allows (its maximum is 32). */
    private static final int MAX_DEPTH = 64;

    private TraceBuffer() {
    }

    public static HeapTrace read(Memory memory, Symbolizer elf) {
        Map<String, Long> symbols = symbols(elf);
        Long records = symbols.get("records");
        if (records == null) {
            return new HeapTrace.NotRead("the firmware does not trace its heap standalone (no symbol records of " + FILE
                    + ": CONFIG_HEAP_TRACING_STANDALONE is off)");
        }
        StructLayout head = elf.struct(RECORDS).orElse(null);
        StructLayout record = elf.struct(RECORD).orElse(null);
        String missing = head == null ? RECORDS : record == null ? RECORD : null;
        for (String m : List.of("buffer", "capacity", "count", "high_water_mark", "has_overflowed")) {
            missing = missing == null && head.offset(m) < 0 ? RECORDS + "." + m : missing;
        }
        for (String m : List.of("ccount", "address", "size", "alloced_by", "freed_by")) {
            missing = missing == null && record.offset(m) < 0 ? RECORD + "." + m : missing;
        }
        if (missing == null && record.size() <= 0) {
            missing = "sizeof(" + RECORD + ")";
        }
        if (missing != null) {
            return new HeapTrace.NotRead("the ELF's DWARF does not describe " + missing + ": the heap trace buffer is not read");
        }
        if (!memory.has(records, (int) Math.max(head.size(), 4))) {
            return new HeapTrace.NotRead(String.format("the dump does not hold the heap trace's records (0x%08x): the "
                    + "firmware saves DRAM only with CONFIG_ESP_COREDUMP_CAPTURE_DRAM", records));
        }
        return new Reader(memory, head, record, records).read(symbols);
    }

    /** The local objects the symbol table lists after {@link #FILE}, by name. */
    private static Map<String, Long> symbols(Symbolizer elf) {
        Map<String, Long> out = new HashMap<>();
        boolean inFile = false;
        for (ElfSymbol s : elf.elf().symbols()) {
            if (s.type() == ElfSymbol.STT_FILE) {
                inFile = s.name().equals(FILE);
            } else if (inFile && s.type() == ElfSymbol.STT_OBJECT && s.binding() == ElfSymbol.STB_LOCAL) {
                out.putIfAbsent(s.name(), s.value());
            }
        }
        return out;
    }

    private static final class Reader {
        private final Memory memory;
        private final StructLayout head;
        private final StructLayout record;
        private final long records;
        private final int depth;
        private final List<String> warnings = new ArrayList<>();

        Reader(Memory memory, StructLayout head, StructLayout record, long records) {
            this.memory = memory;
            this.head = head;
            this.record = record;
            this.records = records;
            this.depth = depth(record);
        }

        /** CONFIG_HEAP_TRACING_STACK_DEPTH: the words from alloced_by to the member after it. */
        private static int depth(StructLayout record) {
            long from = record.offset("alloced_by");
            long to = record.size();
            for (long offset : record.members().values()) {
                if (offset > from && offset < to) {
                    to = offset;
                }
            }
            return (int) Math.min(MAX_DEPTH, (to - from) / HeapLayout.WORD);
        }

        HeapTrace read(Map<String, Long> symbols) {
            long buffer = word(head, "buffer");
            long capacity = word(head, "capacity");
            long count = word(head, "count");
            long size = record.size();
            if (buffer <= 0 || capacity <= 0 || !memory.has(buffer, (int) Math.min(Integer.MAX_VALUE, capacity * size))) {
                return new HeapTrace.NotRead(buffer == 0 || capacity == 0
                        ? "heap_trace_init_standalone() had not been called: the trace has no buffer"
                        : String.format("the record buffer (%d records at 0x%08x) is not in the dump", capacity, buffer));
            }
            if (count > capacity) {
                warnings.add(String.format("records.count is %d, more than the buffer's %d records: the trace's state is damaged; "
                        + "%d are read", count, capacity, capacity));
                count = capacity;
            }
            boolean linked = head.offset("list") >= 0 && record.offset("tailq_list") >= 0;
            List<TraceRecord> out = linked ? listed(buffer, capacity, count) : new ArrayList<>();
            for (long i = 0; !linked && i < count; i++) { // before v5.1: the buffer's first COUNT records
                out.add(record(buffer + i * size));
            }
            Long mode = symbols.get("mode");
            Long tracing = symbols.get("tracing");
            Long allocations = symbols.get("total_allocations");
            Long frees = symbols.get("total_frees");
            long modeWord = mode == null ? -1 : memory.u32(mode);
            byte[] tracingByte = tracing == null ? null : memory.bytes(tracing, 1);
            byte[] overflowed = memory.bytes(records + head.offset("has_overflowed"), 1);
            return new HeapTrace.Read(modeWord < 0 ? null : modeWord == 1, tracingByte == null ? null : tracingByte[0] != 0,
                    out, capacity, word(head, "high_water_mark"), overflowed != null && overflowed[0] != 0,
                    allocations == null ? -1 : memory.u32(allocations), frees == null ? -1 : memory.u32(frees), warnings);
        }

        /** The records in list order, each checked to lie on a record of the buffer, at most {@code capacity}. */
        private List<TraceRecord> listed(long buffer, long capacity, long count) {
            List<TraceRecord> out = new ArrayList<>();
            long size = record.size();
            long at = memory.u32(records + head.offset("list"));
            while (at != 0) {
                if (at < buffer || at >= buffer + capacity * size || (at - buffer) % size != 0) {
                    warnings.add(String.format("record %d of the list points at 0x%08x, not a record of the buffer at 0x%08x: "
                            + "the list is damaged there; the records before it are kept", out.size(), at, buffer));
                    break;
                }
                if (out.size() == capacity) {
                    warnings.add("the record list is longer than the buffer: a loop in damaged memory; " + capacity + " records are read");
                    break;
                }
                out.add(record(at));
                at = memory.u32(at + record.offset("tailq_list"));
            }
            if (out.size() != count && warnings.isEmpty()) {
                warnings.add(String.format("records.count is %d, but its list holds %d records (the crash came while a record "
                        + "was added or removed)", count, out.size()));
            }
            return out;
        }

        private TraceRecord record(long at) {
            return new TraceRecord(memory.u32(at + record.offset("ccount")), memory.u32(at + record.offset("address")),
                    memory.u32(at + record.offset("size")), callers(at + record.offset("alloced_by")),
                    callers(at + record.offset("freed_by")));
        }

        private long[] callers(long at) {
            long[] out = new long[depth];
            int n = 0;
            while (n < depth) {
                long pc = memory.u32(at + 4L * n);
                if (pc <= 0) {
                    break;
                }
                out[n++] = pc;
            }
            return Arrays.copyOf(out, n);
        }

        private long word(StructLayout s, String member) {
            return memory.u32(records + s.offset(member));
        }
    }
}
