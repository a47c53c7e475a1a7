package heapscope.analysis;

import heapscope.trace.Recording;

/** How many events of each kind the pass saw, and the span of their times: the report's {@link LeakReport.Counts}. */
final class EventTally {
    private long events;
    private long heapEvents;
    private long allocs;
    private long listedRecords;
    private long frees;
    private long logMessages;
    private long firstNs = -1;
    private long lastNs;

    /** @param startsCapture whether the event's time may be the capture's start (a log line's may not: see LeakAnalysis) */
    void event(long timeNs, boolean startsCapture) {
        events++;
        if (firstNs < 0 && startsCapture) {
            firstNs = timeNs;
        }
        lastNs = Math.max(lastNs, timeNs);
    }

    void heapEvent() {
        heapEvents++;
    }

    /** An allocation made during the capture, or ({@code listed}) a record of a heap listing. */
    void allocation(boolean listed) {
        if (listed) {
            listedRecords++;
        } else {
            allocs++;
        }
    }

    void free() {
        frees++;
    }

    void logMessage() {
        logMessages++;
    }

    long events() {
        return events;
    }

    long lastNs() {
        return lastNs;
    }

    /** The counts of the report: a log's decoder saw every message, also those it was not asked to pass on as events. */
    LeakReport.Counts counts(Recording recording, int listings) {
        long first = firstNs < 0 ? recording.firstMessageNs() : recording.firstMessageNs() < 0 ? firstNs
                : Math.min(firstNs, recording.firstMessageNs()); // -1 is "no time" on either side
        long last = Math.max(lastNs, recording.lastMessageNs());
        return new LeakReport.Counts(events, heapEvents, allocs, frees, listings, listedRecords,
                Math.max(logMessages, recording.messages()), Math.max(first, 0), last);
    }
}
