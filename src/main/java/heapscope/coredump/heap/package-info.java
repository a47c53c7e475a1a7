/**
 * The heap as it was at the crash, read from a core dump that saved DRAM ({@code CONFIG_ESP_COREDUMP_CAPTURE_DRAM}):
 * ESP-IDF's registered heaps, each walked block by block through TLSF's own headers, with every layout taken from
 * the application's DWARF types.
 *
 * <p>No real dump with DRAM was available when this was written: this package is checked against dumps generated from
 * the real ESP32-C3 ELF's DWARF types with a known heap, not against a device. What the real corpus dumps prove
 * (tasks, registers, backtraces, regions) lives in the parent package and does not depend on this one.
 */
package heapscope.coredump.heap;
