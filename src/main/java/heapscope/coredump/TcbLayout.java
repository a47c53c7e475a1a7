package heapscope.coredump;

/**
 * Where the fields of a FreeRTOS task control block lie, byte offsets from the TCB's address.
 *
 * @param source what the offsets were taken from, for the report
 */
public record TcbLayout(int topOfStack, int priority, int stack, int name, int nameLength, int endOfStack,
                        int basePriority, String source) {
    /**
     * ESP-IDF v5's TCB_t (FreeRTOS 10.5 with configRECORD_STACK_HIGH_ADDRESS, xCoreID, no trace facility): the
     * layout of both real dumps in the corpus, used when the ELF carries no DWARF description of TCB_t.
     */
    public static final TcbLayout ESP_IDF_V5 = new TcbLayout(0x00, 0x2c, 0x30, 0x34, 16, 0x48, 0x4c,
            "ESP-IDF v5 default layout (no TCB_t in the ELF's DWARF)");
}
