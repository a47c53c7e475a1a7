package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.HeapSample;
import heapscope.trace.Snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap task tracking tables of ESP-IDF v5.5+ (docs/log-formats.md): the detailed form
 * ({@code heap_caps_print_all_task_stat}: task, heap and {@code ALLOC} lines drawn as a tree) and the overview box
 * ({@code ..._overview}). Each task's current usage becomes a {@link HeapSample} labelled {@code task NAME} (figure
 * {@code allocated}); the {@code ALLOC} lines, when printed, are the blocks each task holds: a {@link Snapshot} of
 * allocations in that task's context. The tree's own counts are checked against its lines.
 */
final class TaskTrackingParser implements LineParser {
    private static final Pattern TASK = LinePattern.compile(
            "^[├└] (ALIVE|DELETED): (.+), CURRENT MEMORY USAGE (\\d{1,12}), PEAK MEMORY USAGE (\\d{1,12}), TOTAL HEAP USED (\\d{1,6}):$");
    private static final Pattern HEAP = LinePattern.compile("^(?:│\\s+)?[├└] HEAP: (.+), CAPS: 0x[0-9a-fA-F]{1,8}, SIZE: \\d{1,12}, "
            + "USAGE: CURRENT (\\d{1,12}) \\(\\d{1,3}%\\), PEAK \\d{1,12} \\(\\d{1,3}%\\), ALLOC COUNT: (\\d{1,9})$");
    private static final Pattern ALLOC = LinePattern.compile("^(?:│\\s+)*[├└] ALLOC 0x([0-9a-fA-F]{1,8}), SIZE (\\d{1,12})$");

    private final Listings listings = new Listings("heap task tracking");
    private boolean tree;
    private boolean box;
    private long startLine;
    // the task and heap being read, for the checks
    private String task;
    private int context;
    private long taskCurrent;
    private long heapSum;
    private boolean heaps;
    private String heap;
    private long heapCurrent = -1;
    private long heapCount;
    private long heapLine;
    private long allocs;
    private long allocBytes;

    @Override
    public boolean open() {
        return tree || box;
    }

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String s = line.text().strip();
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        if (box) {
            return boxLine(s, c, line, sink);
        }
        if (c == '┌') {
            box = true;
            return true;
        }
        if (c != '├' && c != '└' && c != '│') {
            if (tree && !line.logged()) {
                finish(sink);
            }
            return false;
        }
        Matcher m;
        if ((m = TASK.matcher(s)).matches()) {
            endTask(sink);
            if (!tree) {
                tree = true;
                startLine = line.number();
            }
            task = m.group(2);
            context = sink.recording().contexts().intern(Context.Kind.TASK, task);
            taskCurrent = Long.parseLong(m.group(3));
            sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), "task " + task, -1, -1, -1, taskCurrent));
            return true;
        }
        if (!tree) {
            return false;
        }
        if ((m = HEAP.matcher(s)).matches()) {
            endHeap(sink);
            heaps = true;
            heap = m.group(1);
            heapCurrent = Long.parseLong(m.group(2));
            heapCount = Long.parseLong(m.group(3));
            heapLine = line.number();
            heapSum += heapCurrent;
            return true;
        }
        if ((m = ALLOC.matcher(s)).matches() && task != null) {
            if (!listings.open()) {
                listings.start(sink, startLine);
            }
            long size = Long.parseLong(m.group(2));
            sink.emit(new Alloc(sink.timeNs(), 0, context, Num.hex(m.group(1)), size, 0));
            allocs++;
            allocBytes += size;
            return true;
        }
        sink.warn(line.number(), "damaged heap task tracking line skipped");
        return true;
    }

    private boolean boxLine(String s, char c, LogLine line, LogSink sink) {
        if (c == '└') {
            box = false;
            return true;
        }
        if (c == '├' || c == '┌') {
            return true;
        }
        if (c != '│') {
            if (line.logged()) {
                return false; // other tasks' output may interleave
            }
            box = false;
            sink.warn(line.number(), "heap task overview ends without its bottom line");
            return false;
        }
        String[] cells = s.split("│", -1);
        if (cells.length != 7) {
            sink.warn(line.number(), "damaged heap task overview row skipped");
            return true;
        }
        String name = cells[1].strip();
        String current = cells[3].strip();
        if (name.equals("TASK")) {
            return true;
        }
        if (!current.matches("\\d{1,12}")) {
            sink.warn(line.number(), "damaged heap task overview row skipped");
            return true;
        }
        sink.recording().contexts().intern(Context.Kind.TASK, name);
        sink.emit(new HeapSample(sink.timeNs(), 0, line.number(), sink.timed(), "task " + name, -1, -1, -1, Long.parseLong(current)));
        return true;
    }

    private void endHeap(LogSink sink) {
        if (heapCurrent >= 0 && allocs > 0 && (allocs != heapCount || allocBytes != heapCurrent)) {
            sink.warn(heapLine, "task " + task + ", heap " + heap + ": " + heapCount + " blocks of " + heapCurrent + " bytes announced, "
                    + allocs + " blocks of " + allocBytes + " bytes listed");
        }
        heapCurrent = -1;
        allocs = allocBytes = 0;
    }

    private void endTask(LogSink sink) {
        endHeap(sink);
        if (task != null && heaps && heapSum != taskCurrent) {
            sink.warn(heapLine, "task " + task + ": current usage " + taskCurrent + " bytes, its heaps add up to " + heapSum);
        }
        task = null;
        heaps = false;
        heapSum = 0;
    }

    private void finish(LogSink sink) {
        endTask(sink);
        tree = false;
        if (listings.open()) {
            listings.end(sink);
        }
    }

    @Override
    public void end(LogSink sink) {
        if (tree) {
            finish(sink);
        }
        box = false;
    }
}
