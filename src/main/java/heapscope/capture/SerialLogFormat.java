package heapscope.capture;

import heapscope.log.LogDecoder;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.trace.EventReader;
import heapscope.trace.Recording;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** A serial log: whatever text the device printed, heap messages found among the rest. Claims anything. */
final class SerialLogFormat implements CaptureFormat {
    @Override
    public String name() {
        return "serial log";
    }

    @Override
    public boolean claims(byte[] head) {
        return true;
    }

    @Override
    public boolean text() {
        return true;
    }

    @Override
    public EventReader open(List<InputSpec> inputs, List<InputStream> streams, CaptureSettings settings, Recording recording) throws IOException {
        if (inputs.size() > 1) {
            throw new InputException(inputs.get(0).name() + ": a serial log must be the only input");
        }
        LogDecoder decoder = new LogDecoder(streams.get(0), inputs.get(0).name(), recording, settings.logMessages(), settings.samples());
        return settings.live() ? decoder.allowNoHeapData() : decoder;
    }
}
