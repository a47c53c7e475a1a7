package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.StackTable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the record lines of {@code heap_trace_dump()} by hand, on their bytes: most of the lines of a large dump, so
 * that the reading thread can read them before they are handed over ({@link LogLine#record}) and the parsing thread
 * only looks at what it read. The grammar, as a regex (HEX is {@code 0x[0-9a-fA-F]{1,8}}):
 * <pre>{@code
 * ^ *(\d{1,12}) bytes \(@ (HEX)(?:, (Internal| *PSRAM))?\) allocated CPU 0{0,11}(\d) ccount (HEX)(?: caller ?((?:HEX:?)*))?( freed)? *$
 * }</pre>
 * A caller list's numbers are read as far as they go, never backed off (the test checks against the regex with
 * possessive quantifiers there). One instance per thread: it remembers the caller lists it read last.
 */
final class TraceRecordReader {
    private static final byte[] HEX_DIGITS = new byte[256];
    private static final Literal BYTES_AT = new Literal(" bytes (@ 0x");
    private static final Literal INTERNAL = new Literal(", Internal");
    private static final Literal COMMA = new Literal(",");
    private static final Literal PSRAM = new Literal("PSRAM");
    private static final Literal ALLOCATED = new Literal(") allocated CPU ");
    private static final Literal CCOUNT = new Literal(" ccount 0x");
    private static final Literal CALLER = new Literal(" caller");
    private static final Literal SPACE = new Literal(" ");
    private static final Literal FREED = new Literal(" freed");
    private static final Literal HEX = new Literal("0x");
    private static final Literal COLON = new Literal(":");
    /** " caller " as a word, before the list in {@link #usual}. */
    private static final long CALLER_LIST = new Literal(" caller ").head;
    /** Bytes of a record in {@link #usual} from the size's end to its caller list, without the memory's label. */
    private static final int USUAL_MIN = 43 + 20;

    static {
        Arrays.fill(HEX_DIGITS, (byte) -1);
        for (int d = 0; d < 16; d++) {
            HEX_DIGITS[Character.forDigit(d, 16)] = (byte) d;
            HEX_DIGITS[Character.toUpperCase(Character.forDigit(d, 16))] = (byte) d;
        }
    }

    /** One record; {@code callers} is null when the line prints no caller list. */
    record Record(long size, long address, Alloc.Memory memory, int cpu, Callers callers, boolean freed) {
    }

    /**
     * A caller list as printed, read once: its frames up to the first zero slot. Every record that prints the same
     * list gets the same instance while the reader remembers it, so the parsing thread asks for its stack once.
     */
    static final class Callers {
        private final long[] frames;
        private final int hash;
        private StackTable table; // the stack's id in it, found on the parsing thread (the only one to touch these two)
        private int stack;

        private Callers(long[] frames, int hash) {
            this.frames = frames;
            this.hash = hash;
        }

        long[] frames() {
            return frames.clone();
        }

        /** The id of this list's stack in {@code stacks}, interned on first asking. */
        int stack(StackTable stacks) {
            if (table != stacks) {
                stack = stacks.intern(frames, frames.length);
                table = stacks;
            }
            return stack;
        }
    }

    private final RecentLists recent = new RecentLists();
    private final long[] frames = new long[CallerList.MAX];
    private int count; // of frames
    private byte[] b;
    private int i;
    private int to;
    private boolean cut; // a test failed where the text ended: it may go on beyond
    private Unwrap.Shape shape;

    /** The shape of the text read last: {@link Unwrap.Shape#WHOLE} when {@link #read} returned its record. */
    Unwrap.Shape shape() {
        return shape;
    }

    /** The record in {@code text}, or null ({@link #shape} then says whether it is the start of one cut short). */
    Record read(String text) {
        int k = 0;
        while (k < text.length() && text.charAt(k) == ' ') {
            k++;
        }
        if (k < text.length() && (text.charAt(k) < '0' || text.charAt(k) > '9')) {
            shape = Unwrap.Shape.OTHER; // what the byte reader finds too, without a copy of every line that is no record
            return null;
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1); // the grammar is ASCII: anything else cannot match
        return read(bytes, 0, bytes.length);
    }

    /** The record in {@code bytes[from, to)}, or null ({@link #shape} then says whether it is one cut short). */
    Record read(byte[] bytes, int from, int to) {
        Record usual = usual(bytes, from, to);
        if (usual != null) {
            shape = Unwrap.Shape.WHOLE;
            return usual;
        }
        this.b = bytes;
        this.i = from;
        this.to = to;
        this.cut = false;
        Record r = record();
        shape = r != null ? Unwrap.Shape.WHOLE : cut || i == to ? Unwrap.Shape.CUT : Unwrap.Shape.OTHER;
        this.b = null;
        return r;
    }

    /**
     * The record, when the line has the layout nearly every record of v5.1+ has (an address and a count of eight
     * digits, one CPU digit, the memory unstated or internal, a caller list read before), at fixed offsets from the
     * size's end, compared a word at a time; else null, and {@link #record} reads it by the grammar. A third faster:
     * most lines of a large dump come this way.
     */
    private Record usual(byte[] b, int from, int to) {
        int p = from;
        while (p < to && b[p] == ' ') {
            p++;
        }
        int digits = p;
        long size = 0;
        for (int d; p < to && p - digits < 12 && (d = b[p] - '0') >= 0 && d <= 9; p++) {
            size = size * 10 + d;
        }
        if (p == digits || to - p < USUAL_MIN || Words.at(b, p) != BYTES_AT.head || Words.at(b, p + 4) != BYTES_AT.tail) {
            return null;
        }
        long address = hex8(Words.at(b, p + 12));
        int q = p + 20;
        Alloc.Memory memory = Alloc.Memory.UNSTATED;
        if (Words.at(b, q) == INTERNAL.head && Words.at(b, q + 2) == INTERNAL.tail) {
            memory = Alloc.Memory.INTERNAL;
            q += INTERNAL.length;
            if (to - q < USUAL_MIN - 20) {
                return null;
            }
        }
        int cpu = b[q + 16] - '0';
        if (address < 0 || Words.at(b, q) != ALLOCATED.head || Words.at(b, q + 8) != ALLOCATED.tail || cpu < 0 || cpu > 9
                || Words.at(b, q + 17) != CCOUNT.head || Words.at(b, q + 19) != CCOUNT.tail || hex8(Words.at(b, q + 27)) < 0
                || Words.at(b, q + 35) != CALLER_LIST) {
            return null;
        }
        int list = q + 43;
        int entry = recent.find(b, list, to);
        if (entry < 0) {
            return null;
        }
        int e = list + recent.length(entry);
        boolean freed = e + FREED.length <= to && Arrays.equals(b, e, e + FREED.length, FREED.bytes, 0, FREED.length);
        e += freed ? FREED.length : 0;
        while (e < to && b[e] == ' ') {
            e++;
        }
        return e == to ? new Record(size, address, memory, cpu, recent.callers(entry), freed) : null;
    }

    private Record record() {
        spaces();
        long size = decimal();
        if (size < 0 || !literal(BYTES_AT)) {
            return null;
        }
        long address = hex();
        if (address < 0) {
            return null;
        }
        Alloc.Memory memory = Alloc.Memory.UNSTATED; // v5.1+ label the block's memory
        if (literal(INTERNAL)) {
            memory = Alloc.Memory.INTERNAL;
        } else if (literal(COMMA)) {
            spaces();
            if (!literal(PSRAM)) {
                return null;
            }
            memory = Alloc.Memory.PSRAM;
        }
        if (!literal(ALLOCATED)) {
            return null;
        }
        long cpu = decimal();
        if (cpu < 0 || cpu > 9 || !literal(CCOUNT) || hex() < 0) {
            return null;
        }
        Callers callers = null;
        int listStart = -1;
        if (literal(CALLER)) {
            boolean blank = literal(SPACE);
            listStart = i;
            int entry = recent.find(b, i, to);
            if (entry >= 0) {
                i += recent.length(entry);
                callers = recent.callers(entry);
                listStart = -1;
            } else if (!callers()) {
                return null;
            } else if (i == listStart && blank) {
                i--; // no list: the blank after "caller" may be the one before "freed"
            }
        }
        boolean freed = literal(FREED);
        int listEnd = i - (freed ? FREED.length : 0);
        spaces();
        if (i != to) {
            return null;
        }
        if (listStart >= 0) {
            callers = new Callers(Arrays.copyOf(frames, count), RecentLists.hash(b, listStart, listEnd));
            if (listEnd > listStart) {
                recent.add(b, listStart, listEnd, callers);
            }
        }
        return new Record(size, address, memory, (int) cpu, callers, freed);
    }

    /** Reads a caller list into {@link #frames}: frames up to the first zero slot ({@link #count}); false if it is none. */
    private boolean callers() {
        count = 0;
        boolean stopped = false; // after a zero slot the rest are unused
        while (literal(HEX)) {
            long pc = hex();
            if (pc < 0) {
                return false;
            }
            stopped |= pc == 0;
            if (!stopped && count < CallerList.MAX) {
                frames[count++] = pc;
            }
            literal(COLON);
        }
        return true;
    }

    private void spaces() {
        while (i < to && b[i] == ' ') {
            i++;
        }
    }

    /** Whether {@code text} stands at the cursor; then the cursor moves past it. */
    private boolean literal(Literal text) {
        int n = text.length;
        if (i + Math.max(n, 8) <= to) { // the common case, a word or two at a time
            long first = Words.at(b, i);
            boolean match = n >= 8 ? first == text.head && Words.at(b, i + n - 8) == text.tail : (first & text.tail) == text.head;
            if (match) {
                i += n;
            }
            return match; // not cut: the text goes on past it
        }
        byte[] t = text.bytes;
        int k = 0;
        while (k < n && i + k < to && b[i + k] == t[k]) {
            k++;
        }
        if (k == n) {
            i += n;
            return true;
        }
        cut |= i + k == to; // the text ended while it still matched
        return false;
    }

    /**
     * A text the grammar expects (at most 16 bytes), as words: a longer one's first and last eight bytes (they may
     * overlap); a shorter one's bytes and the mask that keeps them of a word.
     */
    private static final class Literal {
        final byte[] bytes;
        final int length;
        final long head;
        final long tail;

        Literal(String text) {
            bytes = text.getBytes(StandardCharsets.US_ASCII);
            length = bytes.length;
            byte[] padded = Arrays.copyOf(bytes, Math.max(8, length));
            head = Words.at(padded, 0);
            tail = length >= 8 ? Words.at(padded, length - 8) : (1L << 8 * length) - 1;
        }
    }

    /** Up to 12 decimal digits, or -1. */
    private long decimal() {
        int start = i;
        long v = 0;
        while (i < to && i - start < 12 && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i++] - '0');
        }
        return i == start ? -1 : v;
    }

    /** 1 to 8 hex digits, or -1; eight at once where eight stand there (addresses and counts mostly have them). */
    private long hex() {
        if (i + 8 <= to) {
            long v = hex8(Words.at(b, i));
            if (v >= 0) {
                i += 8;
                return v;
            }
        }
        int start = i;
        int end = Math.min(to, i + 8);
        long v = 0;
        for (int d; i < end && (d = HEX_DIGITS[b[i] & 0xff]) >= 0; i++) {
            v = v << 4 | d;
        }
        return i == start ? -1 : v;
    }

    /**
     * The value of eight hex digits in a little-endian word (the first digit in its lowest byte), or -1 when a byte is
     * not a hex digit. Bytes are tested in parallel: one below 0x80 lies strictly between {@code m} and {@code n} when
     * its high bit survives both biased subtractions ({@link #between}).
     */
    static long hex8(long w) {
        long lower = w | 0x2020202020202020L; // 'A'-'F' to 'a'-'f'; digits keep their code
        long digit = between(w, '0' - 1, '9' + 1);
        long letter = between(lower, 'a' - 1, 'f' + 1);
        if ((w & Words.HIGH) != 0 || (digit | letter) != Words.HIGH) {
            return -1;
        }
        long nibbles = (w & 0x0F0F0F0F0F0F0F0FL) + (letter >>> 7) * 9; // 'a' is 0x61: low nibble 1, plus 9
        long x = Long.reverseBytes(nibbles); // the first digit to the top
        x = (x | x >>> 4) & 0x00FF00FF00FF00FFL;
        x = (x | x >>> 8) & 0x0000FFFF0000FFFFL;
        return (x | x >>> 16) & 0xFFFFFFFFL;
    }

    /** 0x80 in each byte of {@code x} (all below 0x80) that lies strictly between {@code m} and {@code n}, 0 in the others. */
    private static long between(long x, int m, int n) {
        return (Words.ONES * (127 + n) - (x & Words.ONES * 127) & ~x & (x & Words.ONES * 127) + Words.ONES * (127 - m)) & Words.HIGH;
    }

    /**
     * Caller lists as printed, with what they read as, in a table indexed by a hash of the list's first bytes. A dump
     * repeats a few dozen call stacks, and comparing one text is several times cheaper than reading its numbers; a
     * table, not the last few lists, as a dump of long-lived blocks cycles through more stacks than a short list holds.
     * Two lists to a slot, the newer first: a dump's thirty lists in 256 slots mostly share one somewhere, and two that
     * took turns in one slot were read again, and interned again, at every record.
     */
    private static final class RecentLists {
        private static final int SLOTS = 256; // a power of two
        private static final int KEY = 32; // bytes hashed: the first frames, where stacks differ
        private final byte[][] texts = new byte[2 * SLOTS][]; // slot k: entries 2k (newer) and 2k + 1
        private final Callers[] callers = new Callers[2 * SLOTS];

        /** The entry whose list stands in {@code b} at {@code from}, followed by a space or the end; else -1. */
        int find(byte[] b, int from, int to) {
            int k = 2 * slot(hash(b, from, to));
            return matches(texts[k], b, from, to) ? k : matches(texts[k + 1], b, from, to) ? k + 1 : -1;
        }

        /** A word at a time: the lists are a few dozen bytes, too short for a vectorised compare to pay for itself. */
        private static boolean matches(byte[] list, byte[] b, int from, int to) {
            if (list == null) {
                return false;
            }
            int n = list.length;
            int end = from + n;
            if (end > to || end != to && b[end] != ' ') {
                return false;
            }
            if (n < 8) {
                return Arrays.equals(b, from, end, list, 0, n);
            }
            for (int k = 0; k < n - 8; k += 8) {
                if (Words.at(b, from + k) != Words.at(list, k)) {
                    return false;
                }
            }
            return Words.at(b, end - 8) == Words.at(list, n - 8); // the last word, overlapping the one before
        }

        int length(int entry) {
            return texts[entry].length;
        }

        Callers callers(int entry) {
            return callers[entry];
        }

        void add(byte[] b, int from, int to, Callers list) {
            int k = 2 * slot(list.hash);
            texts[k + 1] = texts[k];
            callers[k + 1] = callers[k];
            texts[k] = Arrays.copyOfRange(b, from, to);
            callers[k] = list;
        }

        /**
         * A hash of the list's first {@link #KEY} bytes, up to its end (" freed" after it: the same as the list alone).
         * A list that long is hashed a word at a time; a shorter one is, wherever it stands, byte by byte.
         */
        static int hash(byte[] b, int from, int to) {
            if (to - from >= KEY) {
                long w0 = Words.at(b, from);
                long w1 = Words.at(b, from + 8);
                long w2 = Words.at(b, from + 16);
                long w3 = Words.at(b, from + 24);
                if ((Words.matches(w0, ' ') | Words.matches(w1, ' ') | Words.matches(w2, ' ') | Words.matches(w3, ' ')) == 0) {
                    long h = ((w0 * 0x9E3779B97F4A7C15L ^ w1) * 0xC2B2AE3D27D4EB4FL ^ w2) * 0x165667B19E3779F9L ^ w3;
                    h *= 0x9E3779B97F4A7C15L;
                    return (int) (h ^ h >>> 32);
                }
            }
            int h = 0;
            for (int i = from, end = Math.min(to, from + KEY); i < end && b[i] != ' '; i++) {
                h = 31 * h + b[i];
            }
            return h ^ h >>> 16;
        }

        private static int slot(int hash) {
            return hash * 0x9E3779B9 >>> 24; // SLOTS = 2^8
        }
    }
}
