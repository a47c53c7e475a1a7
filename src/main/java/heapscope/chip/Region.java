package heapscope.chip;

/** Kinds of target memory an address can fall in. */
public enum Region {
    DRAM("DRAM", true),
    IRAM("IRAM", true),
    RTC("RTC RAM", true),
    TCM("TCM", true),
    /** Internal RAM, which part not known: what a heap_trace_dump says ({@code Internal}) when the chip is not. */
    INTERNAL("internal RAM", true),
    PSRAM("PSRAM", false),
    FLASH_DATA("flash rodata", false),
    FLASH_CODE("flash code", false),
    ROM("ROM", false),
    UNKNOWN("unknown", false);

    private final String label;
    private final boolean internal;

    Region(String label, boolean internal) {
        this.label = label;
        this.internal = internal;
    }

    /** Name for people: {@code DRAM}, {@code PSRAM}, {@code flash code}. */
    public String label() {
        return label;
    }

    /** Internal RAM, the memory a heap leak usually exhausts first (what heap_trace_dump labels {@code Internal}). */
    public boolean internal() {
        return internal;
    }
}
