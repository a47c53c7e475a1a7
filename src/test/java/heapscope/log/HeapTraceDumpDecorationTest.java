package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Free;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A HEAP_TRACE_ALL dump decoded by idf.py monitor: decoded callers separate a record from its 'freed by' line. */
class HeapTraceDumpDecorationTest {
    @Test
    void freedByAfterMonitorDecorationStillFreesTheRecord() {
        Decoded d = Decoded.of("""
                ====== Heap Trace: 2 records (8 capacity) ======
                     6 bytes (@ 0x3fc9f620, Internal) allocated CPU 0 ccount 0x1a31ac84 caller 0x40376321:0x40376379
                0x40376321: heap_caps_malloc at /path/to/idf/examples/components/heap/heap_caps.c:84
                0x40376379: heap_caps_malloc_default at /path/to/idf/examples/components/heap/heap_caps.c:110

                freed by 0x403839e4:0x42008096
                0x403839e4: free at /path/to/idf/examples/components/newlib/heap.c:40
                --- 0x42008096: test_func_74 at test_heap_trace.c:104 (discriminator 3)

                     6 bytes (@ 0x3fc9f6b4, Internal) allocated CPU 0 ccount 0x1a320698 caller 0x40376321:0x40376379
                ====== Heap Trace Summary ======
                Mode: Heap Trace All
                6 bytes alive in trace (1/2 allocations)
                records: 2 (8 capacity, 2 high water mark)
                total allocations: 2
                total frees: 1
                ================================
                """);
        assertThat(d.allocs()).extracting(Alloc::address).containsExactly(0x3fc9f620L, 0x3fc9f6b4L);
        assertThat(d.all(Free.class)).extracting(Free::address).containsExactly(0x3fc9f620L);
        assertThat(d.recording().stacks().frames(d.all(Free.class).get(0).stack())).containsExactly(0x403839e4L, 0x42008096L);
        assertThat(d.warnings()).isEmpty();
    }
}
