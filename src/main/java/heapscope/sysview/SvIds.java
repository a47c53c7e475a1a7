package heapscope.sysview;

/**
 * SEGGER SystemView packet ids and ESP-IDF's heap module, named once for the decoder ({@link SvStream}) and the
 * writer ({@link SvWriter}) so the two cannot drift apart. Plain {@code int} constants, not an enum: the decoder
 * switches on them per packet and unknown ids must stay representable.
 */
public final class SvIds {
    private SvIds() {
    }

    public static final int NOP = 0;
    public static final int OVERFLOW = 1;
    public static final int ISR_ENTER = 2;
    public static final int ISR_EXIT = 3;
    public static final int TASK_START_EXEC = 4;
    public static final int TASK_STOP_EXEC = 5;
    public static final int TASK_START_READY = 6;
    public static final int TASK_STOP_READY = 7;
    public static final int TASK_CREATE = 8;
    public static final int TASK_INFO = 9;
    public static final int TRACE_START = 10;
    public static final int TRACE_STOP = 11;
    public static final int SYSTIME_CYCLES = 12;
    public static final int SYSTIME_US = 13;
    public static final int SYSDESC = 14;
    public static final int USER_START = 15;
    public static final int USER_STOP = 16;
    public static final int IDLE = 17;
    public static final int ISR_TO_SCHEDULER = 18;
    public static final int TIMER_ENTER = 19;
    public static final int TIMER_EXIT = 20;
    public static final int STACK_INFO = 21;
    public static final int MODULEDESC = 22;
    /** Has no length field and no fixed layout, so a stream cannot be decoded past it. */
    public static final int DATA_SAMPLE = 23;

    /** Ids from here on carry their payload length after the id, so unknown ones can be skipped. */
    public static final int FIRST_WITH_LENGTH = 24;
    public static final int INIT = 24;
    public static final int NAME_RESOURCE = 25;
    public static final int PRINT_FORMATTED = 26;
    public static final int NUMMODULES = 27;

    /** Module events start here; each module's description says at which offset its events start. */
    public static final int FIRST_MODULE_EVENT = 512;
    /** Exclusive bound of module event offsets: ids are at most two 7-bit groups. */
    public static final int MODULE_EVENT_LIMIT = 1 << 14;

    /** The name at the end of ESP-IDF's heap module description ({@code MODULEDESC} packet). */
    public static final String HEAP_MODULE_NAME = "ESP32 SystemView Heap Tracing Module";
    /**
     * Where ESP-IDF's heap module events start when it is the first module registered, as it is in practice:
     * the allocation at this offset, the free at the next.
     */
    public static final int HEAP_EVENTS = FIRST_MODULE_EVENT;
    /**
     * Where they start when ESP-IDF's function-trace module ({@code CONFIG_ESP_TRACE_FUNCTION_TRACE}, two events)
     * registered first, as it does at encoder init on ESP-IDF v6.
     */
    public static final int HEAP_EVENTS_AFTER_FUNCTION_TRACE = FIRST_MODULE_EVENT + 2;
}
