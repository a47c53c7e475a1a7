package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The community memory-tracking utilities' output (docs/log-formats.md "Memory tracking utilities"):
 * {@code list_allocations()} lines ({@code Memory allocated at ADDR, caps .., size N bytes, in FILE, line N, function
 * F, variable V}; a run of them is one {@link Snapshot}), the failed-allocation log ({@code Failed to allocate N
 * bytes for METHOD in F at FILE:LINE}, an {@link Alloc} at address 0; the heap info block it prints next is read by
 * {@link HeapInfoParser}) and {@code print_memory_info()}'s free-size lines ({@link HeapSample}s by capability).
 * The file/line/function of a listed block has no place in the model (stacks are program counters), so its
 * allocations carry no stack.
 */
final class MemoryTrackingParser implements LineParser {
    private static final Pattern LISTED = LinePattern.compile(
            "^Memory allocated at 0x([0-9a-fA-F]{1,8}), caps 0x[0-9a-fA-F]{1,8}, size (\\d{1,12}) bytes, in .*, line -?\\d+, function .*, variable .*$");
    private static final Pattern FAILED = LinePattern.compile("^Failed to allocate (\\d{1,12}) bytes for \\S+ in .* at .*:-?\\d+$");
    private static final Pattern INFO = LinePattern.compile("^(?:.* - )?Free (internal memory \\(DRAM\\)|IRAM memory \\(executable\\)|DMA-capable memory"
            + "|8-bit accessible memory|32-bit accessible memory|SPIRAM memory|IRAM 8-bit accessible memory|retention memory \\(RTC fast\\)): (\\d{1,12}) bytes$");

    private final Listings listings = new Listings("list_allocations");

    @Override
    public boolean open() {
        return listings.open();
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        if (t.startsWith("Memory allocated at ")) {
            Matcher m = LISTED.matcher(t);
            if (!listings.open()) {
                listings.start(sink, line.number());
            }
            if (m.matches()) {
                sink.emit(new Alloc(sink.timeNs(), 0, 0, Num.hex(m.group(1)), Long.parseLong(m.group(2)), 0));
            } else {
                sink.warn(line.number(), "damaged list_allocations line skipped");
            }
            return true;
        }
        if (listings.open()) {
            if (t.isBlank()) {
                return true; // older monitors add an empty line after each decoded address
            }
            if (line.logged()) {
                return false; // other tasks' output may interleave
            }
            end(sink); // the list has no trailer: any other line ends it
        }
        if (t.startsWith("Capturing memory snapshot for region: ")) {
            return true;
        }
        if (t.startsWith("Failed to allocate ")) {
            Matcher m = FAILED.matcher(t);
            if (!m.matches()) {
                return false; // other code's wording
            }
            sink.emit(new Alloc(sink.timeNs(), 0, 0, 0, Long.parseLong(m.group(1)), 0));
            return true;
        }
        if (t.contains("Free ") && t.endsWith(" bytes")) {
            Matcher m = INFO.matcher(t);
            if (m.matches()) {
                sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), label(m.group(1)), Long.parseLong(m.group(2)), -1, -1, -1));
                return true;
            }
        }
        return false;
    }

    private static String label(String what) {
        return switch (what.charAt(0)) {
            case 'i' -> "internal";
            case 'D' -> "dma";
            case '8' -> "8bit";
            case '3' -> "32bit";
            case 'S' -> "psram";
            case 'r' -> "retention";
            default -> what.startsWith("IRAM 8") ? "iram_8bit" : "exec";
        };
    }

    @Override
    public void end(LogSink sink) {
        if (listings.open()) {
            listings.end(sink);
        }
    }
}
