package heapscope.log;

import java.util.List;

/**
 * One clean example of each message family, written from ESP-IDF's printf strings and the seeds, with
 * what a reader counts in it. The noise tests mess these up and expect the same events back.
 */
final class Families {
    private Families() {
    }

    record Family(String name, String log, int lines) {
        Family(String name, String log) {
            this(name, log, (int) log.lines().count());
        }
    }

    static final String HEAP_INFO = """
            Heap summary for capabilities 0x00001800:
              At 0x3fca81f0 len 267552 free 197676 allocated 67852 min_free 190000
                largest_free_block 196608 alloc_blocks 63 free_blocks 1 total_blocks 64
              At 0x3fce9710 len 22308 free 21572 allocated 0 min_free 21572
                largest_free_block 21504 alloc_blocks 0 free_blocks 1 total_blocks 1
              Totals:
                free 219248 allocated 67852 min_free 211572 largest_free_block 196608
            """;

    static final String TASK_TREE = """
            ├ ALIVE: main, CURRENT MEMORY USAGE 308, PEAK MEMORY USAGE 8316, TOTAL HEAP USED 1:
            │    └ HEAP: RAM, CAPS: 0x0010580e, SIZE: 22308, USAGE: CURRENT 308 (1%), PEAK 8316 (37%), ALLOC COUNT: 2
            │         ├ ALLOC 0x3fce9800, SIZE 300
            │         └ ALLOC 0x3fce9940, SIZE 8
            └ DELETED: leaking_task, CURRENT MEMORY USAGE 11392, PEAK MEMORY USAGE 11616, TOTAL HEAP USED 1:
                 └ HEAP: RAM, CAPS: 0x0010580e, SIZE: 22308, USAGE: CURRENT 11392 (51%), PEAK 11616 (52%), ALLOC COUNT: 3
                      ├ ALLOC 0x3fcebbb8, SIZE 6656
                      ├ ALLOC 0x3fced5bc, SIZE 3584
                      └ ALLOC 0x3fceb718, SIZE 1152
            """;

    static final String TASK_BOX = """
            ┌────────────────────┬─────────┬──────────────────────┬───────────────────┬─────────────────┐
            │ TASK               │ STATUS  │ CURRENT MEMORY USAGE │ PEAK MEMORY USAGE │ TOTAL HEAP USED │
            ├────────────────────┼─────────┼──────────────────────┼───────────────────┼─────────────────┤
            │               main │ ALIVE   │                  308 │              8316 │               1 │
            │       leaking_task │ DELETED │                11392 │             11616 │               1 │
            └────────────────────┴─────────┴──────────────────────┴───────────────────┴─────────────────┘
            """;

    static final String HEAP_WALK = """
            Showing data for heap: 0x3fca81f0\s
            Block 0x3fca8200 data, size: 100 bytes, Free: No\s
            Block 0x3fca8270 data, size: 4000 bytes, Free: Yes\s
            Block 0x3fca9220 data, size: 24 bytes, Free: No\s
            Showing data for heap: 0x3fce9710\s
            Block 0x3fce9720 data, size: 21504 bytes, Free: Yes\s
            """;

    static final String METRICS = """
            I (30000) heap_metrics: free:0x2f000 lfb:0x1e000 min_free_ever:0x2a000
            I (30001) heap_metrics: ext_free:0x7e0000 ext_lfb:0x7c0000 ext_min_free_ever:0x7d0000
            """;

    static final String FREE_LINES = """
            I (1000) app: Free heap: 123456 bytes
            I (2000) app: esp_get_free_heap_size: 120000
            I (3000) heap: free_internal_heap: 45871 bytes, delta: -128 bytes
            I (4000) mem: Free heap: 118000, Min free heap: 100000, Largest free block: 65536, after connect
            """;

    static final String CORRUPTION = """
            CORRUPT HEAP: Bad head at 0x3ffb4a18. Expected 0xabba1234 got 0x3ffe4364
            CORRUPT HEAP: Bad tail at 0x3ffe04d1. Expected 0xbaad5678 got 0xcececece
            CORRUPT HEAP: Invalid data at 0x3ffb5000. Expected 0xfefefefe got 0x00000000
            CORRUPT HEAP: Invalid data at 0x3ffb5007. Expected 0xfe got 0x01
            CORRUPT HEAP: Size at 0x3ffb6000 expected <=0x00020000 got 0x41414141
            CORRUPT HEAP: multi_heap.c:370 detected at 0x3ffe04d8
            """;

    static final String CRASH_XTENSA = """
            Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.

            Core  1 register dump:
            PC      : 0x400d2c5f  PS      : 0x00060730  A0      : 0x800d3a1c  A1      : 0x3ffb5f30
            A2      : 0x00000000  A3      : 0x3ffb5f70  A4      : 0x00000001  A5      : 0x00000000
            EXCCAUSE: 0x0000001c  EXCVADDR: 0x00000000  LBEG    : 0x4000c2e0  LEND    : 0x4000c2f6


            Backtrace: 0x400d2c5c:0x3ffb5f30 0x400d3a19:0x3ffb5f50 0x40087f2d:0x3ffb5f70

            ELF file SHA256: 0123456789abcdef

            Rebooting...
            """;

    static final String CRASH_RISCV = """
            Guru Meditation Error: Core  0 panic'ed (Load access fault). Exception was unhandled.

            Core  0 register dump:
            MEPC    : 0x42008a5e  RA      : 0x42008a4c  SP      : 0x3fc9f370  GP      : 0x3fc8e600
            MSTATUS : 0x00001881  MTVEC   : 0x40380001  MCAUSE  : 0x00000005  MTVAL   : 0x00000000

            Stack memory:
            3fc9f370: 0x00000004 0x3fc9f3dc 0x3fc96188 0x00000000 0x3c0cb000 0x00000001 0x00000000 0x36000001
            3fc9f390: 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000

            ELF file SHA256: 0123456789abcdef
            """;

    static final String MEM_FAIL = """
            Mem alloc fail. size 0x00001000 caps 0x00000804

            Backtrace: 0x40081a3e:0x3ffb3e40 0x40087e21:0x3ffb3e60 |<-CORRUPTED
            """;

    static final String LEAK_TRACKER = """
            ========================================
               LEAKED ALLOCATIONS
            ========================================
            Heap trace leak records: 2
            Backtraces captured: 10

            --- LEAK #1 ---
            Address: 0x4809711c (PSRAM)
            Size: 336000 bytes
            Backtrace: (not captured - buffer full or not FreeRTOS heap)

            --- LEAK #2 ---
            Address: 0x4ff4fb84 (Internal)
            Size: 84 bytes
            Backtrace (frame pointer unwinding):
              0x4ff08bf6:0x40008f5c:0x4005cb82
            --- 0x4ff08bf6: xQueueCreateMutex at queue.c:10

            ========================================
               LEAK SUMMARY
            ========================================
            Total leaks: 2 allocations, 336084 bytes (328.21 KB)
              Internal RAM: 1 allocations
              PSRAM: 1 allocations
              Backtraces found: 1 / 2

            Current heap status:
              Internal free: 387 KB
              PSRAM free: 32017 KB
            ========================================
            """;

    static final String MEM_TRACKING = """
            Memory allocated at 0x3ffb8010, caps 0x1800, size 256 bytes, in main/app.c, line 12, function app_main, variable unknow
            Memory allocated at 0x3ffb8120, caps 0x4, size 64 bytes, in main/net.c, line 40, function connect, variable unknow
            Capturing memory snapshot for region: MALLOC_CAP_SPIRAM\s
            Failed to allocate 100000 bytes for heap_caps_malloc in app_main at main/app.c:20
            app - Total free heap: 200000 bytes
            app - Free internal memory (DRAM): 150000 bytes
            app - Free SPIRAM memory: 0 bytes
            """;

    static final String MONITOR = """
            --------------------------------------------------------------------------------------------
            | Task Name         | Status    | Priority | Stack High Water Mark | Core   |
            --------------------------------------------------------------------------------------------
            | main              | Running   | 1        | 2000                 | 0      |
            | f_HeapMonitor     | Blocked   | 5        | 1500                 | N/A    |
            --------------------------------------------------------------------------------------------
            Memoria atual: 180000, Menor valor: 170000
            --------------------------------------------------------------------------------------------
            Heap DRAM total: 300000 bytes
            Heap IRAM total: 350000 bytes
            --------------------------------------------------------------------------------------------
            Memoria atual: 180000, Min últimos 60s: 175000, Max últimos 60s: 185000
            I (600000) HEAP_MONITOR: Encerrando rastreamento. Vazamentos detectados:
            W (600001) MemoryLeak: Alocação #0: 16 bytes em 0x3ffd1914
             ↳ [0] 0x4010a09b
             ↳ [1] 0x4010a0c6
            W (600011) MemoryLeak: Alocação #1: 32 bytes em 0x3ffd18cc
             ↳ [0] 0x4010a09b
            """;

    static final List<Family> ALL = List.of(new Family("heap info", HEAP_INFO), new Family("task tree", TASK_TREE),
            new Family("task overview", TASK_BOX), new Family("heap walk", HEAP_WALK), new Family("heap_metrics", METRICS),
            new Family("free-heap lines", FREE_LINES), new Family("corruption", CORRUPTION), new Family("xtensa panic", CRASH_XTENSA),
            new Family("risc-v panic", CRASH_RISCV), new Family("alloc failure", MEM_FAIL), new Family("leak tracker", LEAK_TRACKER),
            new Family("memory tracking", MEM_TRACKING), new Family("heap monitor", MONITOR));
}
