package heapscope.log;

import heapscope.trace.HeapSample;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code heap_caps_print_heap_info(caps)} blocks (unchanged v4.4 to v6.0; docs/log-formats.md): one
 * {@link HeapSample} per heap region ({@code At ..} and {@code largest_free_block ..} lines, label
 * {@code caps 0x00000004 @ 0x3fcb1270}) and one for the {@code Totals} (label {@code caps 0x00000004}). The totals
 * are read in a second pass over the heaps ({@code heap_caps_get_info} after the regions were printed), so they may
 * differ from the regions' sums: when free plus allocated bytes still agree, the heap moved in between (another
 * task or core allocated or freed); when they do not, a region's lines are missing. Both are warnings that say which.
 */
final class HeapInfoParser implements LineParser, Unwrap.Records {
    private static final Pattern HEADER = LinePattern.compile("^Heap summary for capabilities 0x([0-9a-fA-F]{8}):$");
    private static final Pattern REGION = LinePattern.compile("^At 0x([0-9a-fA-F]{1,8}) len (\\d{1,10}) free (\\d{1,10}) allocated (\\d{1,10}) min_free (\\d{1,10})$");
    private static final Pattern BLOCKS = LinePattern.compile("^largest_free_block (\\d{1,10}) alloc_blocks (\\d{1,10}) free_blocks (\\d{1,10}) total_blocks (\\d{1,10})$");
    private static final Pattern TOTALS = LinePattern.compile("^free (\\d{1,10}) allocated (\\d{1,10}) min_free (\\d{1,10}) largest_free_block (\\d{1,10})$");

    private final Unwrap unwrap = new Unwrap(this);
    private boolean inBlock;
    private boolean inTotals;
    private long startLine;
    private String caps;
    // the region whose largest_free_block line is awaited
    private boolean region;
    private long regionAddr;
    private long regionLength;
    private long regionFree;
    private long regionAllocated;
    private long regionMinFree;
    private long regionLine;
    // sums over the block's regions, to check the totals
    private int regions;
    private boolean regionsComplete;
    private long sumFree;
    private long sumAllocated;

    @Override
    public boolean open() {
        return inBlock || unwrap.holding();
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        return unwrap.holding() ? unwrap.accept(line, sink) : read(line, sink, true); // a direct call on the common path
    }

    @Override
    public Unwrap.Shape shape(String text) {
        String s = text.strip();
        Pattern p = s.startsWith("At ") ? REGION : s.startsWith("largest_free") ? BLOCKS : s.startsWith("free ") ? TOTALS
                : s.startsWith("Heap summary for capabilities") ? HEADER : null;
        return p == null ? Unwrap.Shape.OTHER : Unwrap.shape(p.matcher(s));
    }

    @Override
    public boolean begins(String text) {
        String s = text.strip();
        return s.startsWith("At 0x") || s.startsWith("largest_free_block ") || s.equals("Totals:") || s.startsWith("Heap summary")
                || s.startsWith("free ") && s.contains(" allocated ");
    }

    @Override
    public boolean read(LogLine line, LogSink sink, boolean mayHold) {
        String s = line.text().strip();
        if (s.startsWith("Heap summary for capabilities")) {
            Matcher m = HEADER.matcher(s);
            Unwrap.Shape shape = Unwrap.shape(m);
            if (mayHold && unwrap.hold(line, shape)) {
                return true;
            }
            if (inBlock) {
                close(line, sink, "heap info block from line " + startLine + " ended without its Totals");
            }
            if (shape != Unwrap.Shape.WHOLE) {
                sink.warn(line.number(), "damaged heap info header skipped; its block is not read");
                return true;
            }
            inBlock = true;
            inTotals = false;
            startLine = line.number();
            caps = "caps 0x" + m.group(1).toUpperCase(Locale.ROOT);
            regions = 0;
            regionsComplete = true;
            sumFree = sumAllocated = 0;
            return true;
        }
        if (!inBlock) {
            return false;
        }
        if (s.isEmpty() || line.logged()) {
            return s.isEmpty(); // other tasks' output may interleave
        }
        Matcher m;
        if (s.startsWith("At ")) {
            m = REGION.matcher(s);
            Unwrap.Shape shape = Unwrap.shape(m);
            if (mayHold && unwrap.hold(line, shape)) {
                return true;
            }
            flushRegion(sink);
            if (shape == Unwrap.Shape.WHOLE) {
                region = true;
                regionAddr = Num.hex(m.group(1));
                regionLength = Long.parseLong(m.group(2));
                regionFree = Long.parseLong(m.group(3));
                regionAllocated = Long.parseLong(m.group(4));
                regionMinFree = Long.parseLong(m.group(5));
                regionLine = line.number();
            } else {
                regionsComplete = false;
                sink.warn(line.number(), "damaged heap region line skipped");
            }
            return true;
        }
        if (s.startsWith("largest_free")) {
            m = BLOCKS.matcher(s);
            Unwrap.Shape shape = Unwrap.shape(m);
            if (mayHold && unwrap.hold(line, shape)) {
                return true;
            }
            if (shape == Unwrap.Shape.WHOLE && region) {
                long alloc = Long.parseLong(m.group(2));
                long free = Long.parseLong(m.group(3));
                long total = Long.parseLong(m.group(4));
                if (alloc + free != total) {
                    sink.warn(line.number(), "heap region block counts do not add up: " + alloc + " allocated + " + free + " free != " + total
                            + " total blocks");
                }
                emitRegion(sink, Long.parseLong(m.group(1)), alloc, free, total);
            } else {
                flushRegion(sink);
                sink.warn(line.number(), region ? "damaged heap region line skipped" : "heap region line without its 'At' line skipped");
            }
            return true;
        }
        if (s.equals("Totals:")) {
            flushRegion(sink);
            inTotals = true;
            return true;
        }
        if (inTotals && s.startsWith("free ")) {
            m = TOTALS.matcher(s);
            Unwrap.Shape shape = Unwrap.shape(m);
            if (mayHold && unwrap.hold(line, shape)) {
                return true;
            }
            if (shape == Unwrap.Shape.WHOLE) {
                long free = Long.parseLong(m.group(1));
                long allocated = Long.parseLong(m.group(2));
                sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), caps, free, Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4)), allocated));
                if (regions > 0 && regionsComplete && (free != sumFree || allocated != sumAllocated)) {
                    String differ = "heap info totals (free " + free + ", allocated " + allocated + ") differ from the sums of the "
                            + regions + " regions decoded (free " + sumFree + ", allocated " + sumAllocated + "): ";
                    sink.warn(line.number(), differ + (free + allocated == sumFree + sumAllocated
                            ? Math.abs(free - sumFree) + " bytes changed hands between free and allocated while ESP-IDF read the totals in"
                                    + " a second pass (another task or core allocated or freed in between); the regions' figures are kept"
                            : "a region's lines are missing (" + Math.abs(free + allocated - sumFree - sumAllocated) + " bytes of heap not listed)"));
                }
            } else {
                sink.warn(line.number(), "damaged heap info totals line skipped");
            }
            inBlock = false;
            return true;
        }
        close(line, sink, "heap info block from line " + startLine + " ended without its Totals");
        return false;
    }

    private void emitRegion(LogSink sink, long largest, long allocBlocks, long freeBlocks, long totalBlocks) {
        String label = caps + " @ 0x" + String.format(Locale.ROOT, "%08x", regionAddr);
        sink.emit(new HeapSample(sink.timeNs(), 0, regionLine, sink.timed(), label, regionFree, regionMinFree, largest, regionAllocated,
                regionLength, allocBlocks, freeBlocks, totalBlocks));
        regions++;
        sumFree += regionFree;
        sumAllocated += regionAllocated;
        region = false;
    }

    /** A region whose second line never came is still a reading, without its largest free block. */
    private void flushRegion(LogSink sink) {
        if (region) {
            sink.warn(regionLine, "heap region without its largest_free_block line");
            emitRegion(sink, -1, -1, -1, -1);
        }
    }

    private void close(LogLine line, LogSink sink, String why) {
        flushRegion(sink);
        sink.warn(line.number(), why);
        inBlock = false;
    }

    @Override
    public void end(LogSink sink) {
        unwrap.end(sink);
        if (inBlock) {
            flushRegion(sink);
            sink.warn(startLine, "the log ends inside this heap info block; its regions so far are kept");
            inBlock = false;
        }
    }
}
