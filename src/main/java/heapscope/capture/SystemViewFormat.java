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
 * SEGGER SystemView as OpenOCD writes it, with its text header: one file per core or one multi-core file, its printed
 * heap lines read too.
 */
final class SystemViewFormat implements CaptureFormat {
    @Override
    public String name() {
        return "SystemView trace";
    }

    @Override
    public boolean claims(byte[] head) {
        return head[0] == ';' && head.length > 1 && head[1] == '\n'; // OpenOCD's header
    }

    @Override
    public boolean text() {
        return false;
    }

    @Override
    public EventReader open(List<InputSpec> inputs, List<InputStream> streams, CaptureSettings settings, Recording recording) throws IOException {
        return new PrintedHeapLines(new SvDecoder(settings.systemEvents(), settings.heapEvents()).open(inputs, streams, recording), settings.samples());
    }
}
