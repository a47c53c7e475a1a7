package heapscope.coredump.heap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the DRAM of the fixture firmware {@code coredump/heap-trace.elf} (built by
 * {@code src/test/fixtures/coredump/heap-trace/build.sh}) as standalone heap tracing leaves it after {@code app_main}
 * ran in HEAP_TRACE_LEAKS mode: {@code read_config()} keeps 512 bytes, each of 8 connections leaks 84 bytes from
 * {@code session_new()}, and 8 scratch buffers of 256 bytes are freed again (so their records are gone). The
 * records lie in the buffer out of list order, as reused records do, so only a reader that follows the list gets
 * the order right. Addresses are the fixture's symbols as {@code riscv64-unknown-elf-readelf -s} prints them;
 * the callers are the return addresses {@code heap-trace.calls} lists.
 */
public final class TraceDumps {
    public static final Path ELF = Path.of("src/test/resources/coredump/heap-trace.elf");
    static final long RECORDS = 0x3fc80000L;
    static final long TOTAL_FREES = 0x3fc80024L;
    static final long TOTAL_ALLOCATIONS = 0x3fc80028L;
    static final long MODE = 0x3fc8002cL;
    static final long TRACING = 0x3fc80030L;
    static final long BUFFER = 0x3fc80034L;
    static final int CAPACITY = 32;
    // records_t: buffer 0x00, list 0x04, unused 0x0c, capacity 0x14, count 0x18, high_water_mark 0x1c, has_overflowed 0x20
    // heap_trace_record_t (0x34 bytes): ccount 0x00, address 0x04, size 0x08, alloced_by[4] 0x0c, freed_by[4] 0x1c, tailq_list 0x2c
    static final int RECORD_SIZE = 0x34;

    private TraceDumps() {
    }

    /** What the generator laid out: DRAM from {@link #RECORDS} on, and the live records in list order (the truth). */
    public record Generated(byte[] dram, List<TraceRecord> records) {
    }

    /** The return address after the call from CALLER to CALLEE, from heap-trace.calls. */
    static long call(String caller, String callee) {
        try {
            Map<String, Long> calls = new HashMap<>();
            for (String line : Files.readAllLines(ELF.resolveSibling("heap-trace.calls"))) {
                String[] f = line.split(" ");
                calls.put(f[0] + " " + f[1], Long.decode(f[2]));
            }
            return calls.get(caller + " " + callee);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Generated generate(boolean overflowed) {
        long[] config = {call("malloc", "heap_caps_malloc"), call("read_config", "malloc"), call("app_main", "read_config")};
        long[] connection = {call("malloc", "heap_caps_malloc"), call("session_new", "malloc"),
            call("on_new_connection", "session_new"), call("app_main", "on_new_connection")};
        List<TraceRecord> live = new ArrayList<>();
        long address = 0x3fc90000L;
        long ccount = 1_000_000;
        live.add(new TraceRecord(ccount, address, 512, config, new long[0]));
        address += 512 + 4;
        for (int i = 0; i < 8; i++) {
            ccount += 160_000;
            live.add(new TraceRecord(ccount, address, 84, connection, new long[0]));
            address += 84 + 4 + 256 + 4; // the scratch buffer after it was freed
        }
        ByteBuffer m = CoreElf.le(new byte[(int) (BUFFER - RECORDS) + CAPACITY * RECORD_SIZE]);
        long previousNext = RECORDS + 0x04; // where the previous record's tqe_next lives: first the head's tqh_first
        for (int i = 0; i < live.size(); i++) {
            TraceRecord r = live.get(i);
            long at = BUFFER + (long) ((i * 7 + 3) % CAPACITY) * RECORD_SIZE;
            put(m, at, r.ccount());
            put(m, at + 0x04, r.address());
            put(m, at + 0x08, r.size());
            for (int k = 0; k < r.allocedBy().length; k++) {
                put(m, at + 0x0c + 4L * k, r.allocedBy()[k]);
            }
            put(m, previousNext, at);
            put(m, at + 0x2c + 4, previousNext); // tqe_prev: the address of the pointer to this record
            previousNext = at + 0x2c;
        }
        put(m, RECORDS + 0x08, previousNext); // tqh_last
        put(m, RECORDS, BUFFER);
        put(m, RECORDS + 0x14, CAPACITY);
        put(m, RECORDS + 0x18, live.size());
        put(m, RECORDS + 0x1c, live.size() + 1);
        m.put((int) (RECORDS + 0x20 - RECORDS), (byte) (overflowed ? 1 : 0));
        put(m, TOTAL_ALLOCATIONS, 17);
        put(m, TOTAL_FREES, 8);
        put(m, MODE, 1); // HEAP_TRACE_LEAKS
        m.put((int) (TRACING - RECORDS), (byte) 1);
        return new Generated(m.array(), live);
    }

    /** A core ELF (RISC-V) holding only that DRAM, as a file heapscope coredump reads. */
    public static byte[] dump(Generated g) {
        return CoreElf.write(243, List.of(CoreElf.Program.memory(RECORDS, g.dram())));
    }

    private static void put(ByteBuffer m, long address, long value) {
        m.putInt((int) (address - RECORDS), (int) value);
    }
}
