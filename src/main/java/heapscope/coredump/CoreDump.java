package heapscope.coredump;

import java.util.List;

/**
 * A decoded ESP-IDF core dump: what the firmware saved when it crashed.
 *
 * @param chip           ESP-IDF chip id from the header (0 ESP32, 5 ESP32-C3, ...), -1 for a core ELF without it
 * @param version        dump format version (low 16 bits of the header's version word)
 * @param elfFormat      true for the ELF format, false for the legacy binary one
 * @param crashedTcb     handle of the task that crashed, 0 when the dump does not say
 * @param isrContext     whether the crash happened in an interrupt handler; null when the dump does not say
 * @param panicReason    the panic handler's words ("abort() was called at PC ..."), or null
 * @param exceptionRegisters Xtensa exception registers (exccause, excvaddr, epcN, epsN), empty on RISC-V
 * @param appSha256      the application ELF's SHA-256 prefix the firmware recorded, or null
 * @param warnings       what was wrong but did not stop decoding (a bad checksum, a damaged note), one line each
 */
public record CoreDump(Arch arch, int chip, int version, boolean elfFormat, List<TaskDump> tasks, List<Segment> segments,
                       long crashedTcb, Boolean isrContext, String panicReason, List<NamedValue> exceptionRegisters,
                       String appSha256, List<String> warnings) {
    public String chipName() {
        return Arch.chipName(chip);
    }

    /** The crashed task, else the first one (the firmware writes the crashed task first). */
    public TaskDump crashedTask() {
        for (TaskDump t : tasks) {
            if (t.tcb() == crashedTcb) {
                return t;
            }
        }
        return tasks.isEmpty() ? null : tasks.get(0);
    }

    public Memory memory() {
        return new Memory(segments);
    }
}
