package heapscope.log;

import heapscope.trace.Snapshot;

/**
 * One parser's heap listings (dumps, reports, tables of live blocks): their numbering, and the START and END
 * snapshots that frame each, both naming the line the listing starts on.
 */
final class Listings {
    private final String kind;
    private int count;
    private long startLine = -1;
    private boolean open;

    /** @param kind what the parser lists, as reports name it: {@code heap_trace_dump}, {@code heap monitor} */
    Listings(String kind) {
        this.kind = kind;
    }

    /** Between a listing's start and its end. */
    boolean open() {
        return open;
    }

    /** The line the current (or last) listing started on; -1 before any. */
    long startLine() {
        return startLine;
    }

    void start(LogSink sink, long line) {
        start(sink, line, kind);
    }

    /** @param startKind the kind this listing starts as, when it differs (a dump seen without its header) */
    void start(LogSink sink, long line, String startKind) {
        startLine = line;
        open = true;
        sink.emit(new Snapshot(sink.timeNs(), 0, count, Snapshot.Boundary.START, startKind, line, Snapshot.Declared.NONE, false));
    }

    void end(LogSink sink) {
        end(sink, Snapshot.Declared.NONE);
    }

    void end(LogSink sink, Snapshot.Declared declared) {
        open = false;
        sink.emit(new Snapshot(sink.timeNs(), 0, count++, Snapshot.Boundary.END, kind, startLine, declared, false));
    }

    /**
     * Ends a listing the log stopped inside (WHY, for the warning at its start line): the capture is incomplete, and
     * the analysis reports the last complete listing, or this one's records if there is none.
     */
    void cutOff(LogSink sink, Snapshot.Declared declared, String why) {
        sink.damage(startLine, why + ": the leaks are those of the last complete listing (or of this one's records, if it"
                + " is the first)");
        open = false;
        sink.emit(new Snapshot(sink.timeNs(), 0, count++, Snapshot.Boundary.END, kind, startLine, declared, true));
    }
}
