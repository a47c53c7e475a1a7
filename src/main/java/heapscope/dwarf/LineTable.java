package heapscope.dwarf;

import heapscope.util.Sorted;

/**
 * The decoded line table of one unit: rows grouped into sequences sorted by start address, so that an
 * address is found with two binary searches. Within a sequence, only the last of several rows at the
 * same address is kept (as GNU addr2line and LLVM do).
 */
final class LineTable {
    static final LineTable EMPTY = new LineTable(new String[0], new long[0], new long[0], new int[0],
            new long[0], new int[0], new int[0], new int[0]);

    private final String[] files;
    private final long[] seqStart; // sign-flipped addresses (signed order == unsigned order)
    private final long[] seqEnd;
    private final int[] seqFirstRow; // rows of sequence i are seqFirstRow[i] .. seqFirstRow[i+1]-1
    private final long[] rowAddress;
    private final int[] rowFile;
    private final int[] rowLine;
    private final int[] rowColumn;

    LineTable(String[] files, long[] seqStart, long[] seqEnd, int[] seqFirstRow, long[] rowAddress,
              int[] rowFile, int[] rowLine, int[] rowColumn) {
        this.files = files;
        this.seqStart = seqStart;
        this.seqEnd = seqEnd;
        this.seqFirstRow = seqFirstRow;
        this.rowAddress = rowAddress;
        this.rowFile = rowFile;
        this.rowLine = rowLine;
        this.rowColumn = rowColumn;
    }

    /** Full path of file number {@code index} in this unit's numbering, or null. */
    String file(long index) {
        return index >= 0 && index < files.length ? files[(int) index] : null;
    }

    int sequenceCount() {
        return seqStart.length;
    }

    long sequenceStart(int i) {
        return seqStart[i] ^ Long.MIN_VALUE;
    }

    long sequenceEnd(int i) {
        return seqEnd[i] ^ Long.MIN_VALUE;
    }

    /** Index of the row covering {@code address}, or -1. */
    int find(long address) {
        long a = address ^ Long.MIN_VALUE;
        int seq = Sorted.lastAtOrBefore(seqStart, a);
        // sequences should not overlap, but tolerate it by looking back a little
        for (int s = seq; s >= 0 && s > seq - 4; s--) {
            if (a < seqEnd[s]) {
                return rowIn(s, a);
            }
        }
        return -1;
    }

    private int rowIn(int seq, long a) {
        int first = seqFirstRow[seq];
        int found = Sorted.lastAtOrBefore(rowAddress, first, seqFirstRow[seq + 1], a);
        return found < first ? -1 : found;
    }

    String rowFile(int row) {
        return file(rowFile[row]);
    }

    int rowLine(int row) {
        return rowLine[row];
    }

    int rowColumn(int row) {
        return rowColumn[row];
    }
}
