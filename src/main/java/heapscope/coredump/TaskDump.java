package heapscope.coredump;

/**
 * One task as the dump saved it.
 *
 * @param tcb       address of its task control block (the FreeRTOS task handle)
 * @param registers the register set, in the order of {@link Arch#registerNames()}
 * @param corrupted the firmware flagged its TCB or stack as broken
 */
public record TaskDump(int index, long tcb, long[] registers, boolean corrupted) {
    public long pc() {
        return registers[0];
    }
}
