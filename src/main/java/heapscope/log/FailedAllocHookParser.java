package heapscope.log;

import heapscope.trace.Alloc;

import java.util.Optional;

/**
 * The failed-allocation callback of ESP-IDF's heap documentation ({@code heap_caps_register_failed_alloc_callback}),
 * whose example firmware copies widely ({@link FailedAllocation}): an {@link Alloc} at address 0 of that size with
 * the capabilities asked for.
 */
final class FailedAllocHookParser implements LineParser {
    @Override
    public boolean accept(LogLine line, LogSink sink) {
        Optional<FailedAllocation> f = FailedAllocation.hook(line.text());
        f.ifPresent(a -> sink.emit(Alloc.failed(sink.timeNs(), a.size(), a.caps())));
        return f.isPresent();
    }
}
