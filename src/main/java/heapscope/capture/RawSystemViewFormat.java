package heapscope.capture;

import heapscope.log.PrintedHeapLines;
import heapscope.source.InputSpec;
import heapscope.sysview.SvDecoder;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * SystemView as the UART and USB-Serial-JTAG links carry it (ESP-IDF v6 esp_trace, no OpenOCD): no header, maybe
 * starting inside a packet. Claims a head that starts with the sync or in which a run of well-formed packets proves
 * where packets start.
 */
final class RawSystemViewFormat implements CaptureFormat {
    @Override
    public String name() {
        return "raw SystemView stream";
    }

    @Override
    public boolean claims(byte[] head) {
        return head[0] != ';' && SvDecoder.provesRawStream(head);
    }

    @Override
    public boolean text() {
        return false;
    }

    @Override
    public EventReader open(List<InputSpec> inputs, List<InputStream> streams, CaptureSettings settings, Recording recording) throws IOException {
        return new PrintedHeapLines(new SvDecoder(settings.systemEvents(), settings.heapEvents()).live(settings.live()).openRaw(inputs, streams, recording),
                settings.samples());
    }
}
