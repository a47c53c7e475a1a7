package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code heap_caps_dump()} / {@code heap_caps_dump_all()} block walks (TLSF heaps, v4.4+;
 * docs/log-formats.md): {@code Showing data for heap: ADDR} then one {@code Block ADDR data, size: N bytes, Free: Yes|No} line per
 * block. The used blocks are the heap's live blocks at that moment: a {@link Snapshot} of allocations. Each heap
 * walked also gives a {@link HeapSample} (label {@code heap 0x..}) with its free bytes, largest free block and
 * allocated bytes.
 */
final class HeapWalkParser implements LineParser {
    private static final Pattern HEAP = LinePattern.compile("^Showing data for heap: 0x([0-9a-fA-F]{1,8})\\s*$");
    private static final Pattern BLOCK = LinePattern.compile("^Block 0x([0-9a-fA-F]{1,8}) data, size: (\\d{1,12}) bytes, Free: (Yes|No)\\s*$");

    private final Listings listings = new Listings("heap_caps_dump");
    private boolean heap;
    private long heapAddr;
    private long heapLine;
    private long free;
    private long largest;
    private long used;

    @Override
    public boolean open() {
        return listings.open();
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        if (t.startsWith("Showing data for heap:")) {
            Matcher m = HEAP.matcher(t);
            if (!listings.open()) {
                listings.start(sink, line.number());
            }
            endHeap(sink);
            if (m.matches()) {
                heap = true;
                heapAddr = Num.hex(m.group(1));
                heapLine = line.number();
                free = largest = used = 0;
            } else {
                sink.warn(line.number(), "damaged heap_caps_dump heap line: its blocks are still read, without a heap sample");
            }
            return true;
        }
        if (!listings.open()) {
            return false;
        }
        if (t.startsWith("Block ")) {
            Matcher m = BLOCK.matcher(t);
            if (!m.matches()) {
                sink.warn(line.number(), "damaged heap_caps_dump block line skipped");
                heap = false; // its sums would be wrong
                return true;
            }
            long size = Long.parseLong(m.group(2));
            if (m.group(3).equals("No")) {
                sink.emit(new Alloc(sink.timeNs(), 0, 0, Num.hex(m.group(1)), size, 0));
                used += size;
            } else {
                free += size;
                largest = Math.max(largest, size);
            }
            return true;
        }
        if (t.isEmpty() || line.logged()) {
            return t.isEmpty(); // other tasks' output may interleave
        }
        end(sink);
        return false;
    }

    private void endHeap(LogSink sink) {
        if (heap) {
            heap = false;
            sink.emit(new HeapSample(sink.timeNs(), 0, heapLine, sink.timed(), "heap 0x" + String.format(Locale.ROOT, "%08x", heapAddr),
                    free, -1, largest, used));
        }
    }

    @Override
    public void end(LogSink sink) {
        if (listings.open()) {
            endHeap(sink);
            listings.end(sink);
        }
    }
}
