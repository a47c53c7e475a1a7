package heapscope.capture;

import heapscope.log.PrintedHeapLines;
import heapscope.source.InputSpec;
import heapscope.sysview.SvDecoder;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** SEGGER SystemView as OpenOCD writes it: one file per core or one multi-core file, its printed heap lines read too. */
final class SystemViewFormat implements CaptureFormat {
    /** Zero bytes a raw stream without OpenOCD's header starts with (its SystemView sync). */
    private static final int SYNC_ZEROS = 10;

    @Override
    public String name() {
        return "SystemView trace";
    }

    @Override
    public boolean claims(byte[] head) {
        if (head[0] == ';' && head.length > 1 && head[1] == '\n') {
            return true; // OpenOCD's header
        }
        int zeros = 0;
        while (zeros < head.length && head[zeros] == 0) {
            zeros++;
        }
        return zeros >= Math.min(SYNC_ZEROS, head.length);
    }

    @Override
    public boolean text() {
        return false;
    }

    @Override
    public EventReader open(List<InputSpec> inputs, List<InputStream> streams, CaptureSettings settings, Recording recording) throws IOException {
        return new PrintedHeapLines(new SvDecoder(settings.systemEvents()).open(inputs, streams, recording), settings.samples());
    }
}
