package heapscope.cli;

import heapscope.capture.CaptureSettings;
import picocli.CommandLine.Option;

/** --heap-events, shared by every command that reads captures: where a SystemView trace's heap events are. */
final class HeapEventsOption {
    @Option(names = "--heap-events", paramLabel = "ID", description = "SystemView: the id of the heap allocation event (the free "
            + "is the next), whatever the trace says; without it, the module description's, or on UART and USB-Serial-JTAG "
            + "(which never send one) 512, or 514 after function tracing, inferred from the packets and said on standard error")
    Integer heapEvents;

    /** SETTINGS with the heap events where this option puts them. */
    CaptureSettings apply(CaptureSettings settings) {
        return heapEvents == null ? settings : settings.withHeapEvents(heapEvents);
    }
}
