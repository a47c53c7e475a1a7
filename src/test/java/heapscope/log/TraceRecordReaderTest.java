package heapscope.log;

import heapscope.trace.Alloc;
import heapscope.trace.StackTable;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The record reader's word-at-a-time paths read what a byte-at-a-time reading of the grammar reads. */
class TraceRecordReaderTest {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Hex digits and the bytes next to their ranges, where a range test is off by one if it is wrong. */
    private static final byte[] ALPHABET = "0123456789abcdefABCDEF/:@G`g \u007f".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void eightHexDigitsAtOnceAreTheirValueAndAnythingElseIsNone() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] word = new byte[8];
        for (int n = 0; n < 200_000; n++) {
            for (int k = 0; k < 8; k++) {
                word[k] = n % 5 == 0 ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(random.nextBoolean() ? 22 : ALPHABET.length)];
            }
            assertThat(TraceRecordReader.hex8((long) LONGS.get(word, 0))).as(new String(word, StandardCharsets.ISO_8859_1))
                    .isEqualTo(reference(word));
        }
        assertThat(TraceRecordReader.hex8((long) LONGS.get("FFFFffff".getBytes(StandardCharsets.US_ASCII), 0))).isEqualTo(0xFFFFFFFFL);
        assertThat(TraceRecordReader.hex8((long) LONGS.get("00000000".getBytes(StandardCharsets.US_ASCII), 0))).isZero();
    }

    private static long reference(byte[] word) {
        long v = 0;
        for (byte c : word) {
            int d = Character.digit((char) (c & 0xff), 16);
            if (d < 0 || c < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    @Test
    void everyRecordAndEveryCutOfItReadsAlikeFromTextAndFromBytes() {
        List<String> lines = List.of(
                "   248 bytes (@ 0x3fc9a000, Internal) allocated CPU 0 ccount 0x4fc9a000 caller 0x40376183:0x4201e13e:0x4201e23e:0x4201e33e:0x4201e43e",
                "   248 bytes (@ 0x3fc9a000, Internal) allocated CPU 0 ccount 0x4fc9a000 caller 0x40376183:0x4201e13e:0x4201e23e:0x4201e33e:0x4201e43e freed",
                "84 bytes (@ 0x3fca1b2c,  PSRAM) allocated CPU 1 ccount 0x1a2B3c4D caller 0x4037:0x42000a:",
                "16 bytes (@ 0x3fc90010) allocated CPU 0 ccount 0x12 caller 0x40376183:0x0:0x4201e13e  ",
                "16 bytes (@ 0x3fc90010) allocated CPU 0 ccount 0x12",
                "16 bytes (@ 0x3fc90010) allocated CPU 0 ccount 0x12 caller freed");
        for (String line : lines) {
            for (int end = 0; end <= line.length(); end++) {
                String text = line.substring(0, end);
                TraceRecordReader fromText = new TraceRecordReader();
                TraceRecordReader fromBytes = new TraceRecordReader();
                byte[] padded = ("xx" + text + "yyyyyyyyyyyyyyyy").getBytes(StandardCharsets.ISO_8859_1); // reads past the end are not looked at
                TraceRecordReader.Record a = fromText.read(text);
                TraceRecordReader.Record b = fromBytes.read(padded, 2, 2 + text.length());
                assertThat(fromBytes.shape()).as(text).isEqualTo(fromText.shape());
                assertThat(describe(b)).as(text).isEqualTo(describe(a));
                assertThat(fromText.shape()).as(text).isNotEqualTo(Unwrap.Shape.OTHER); // a record's start is never something else
            }
        }
        TraceRecordReader.Record whole = new TraceRecordReader().read(lines.get(2));
        assertThat(whole.size()).isEqualTo(84);
        assertThat(whole.address()).isEqualTo(0x3fca1b2cL);
        assertThat(whole.memory()).isEqualTo(Alloc.Memory.PSRAM);
        assertThat(whole.cpu()).isEqualTo(1);
        assertThat(whole.callers().frames()).containsExactly(0x4037L, 0x42000aL);
        assertThat(new TraceRecordReader().read(lines.get(3)).callers().frames()).containsExactly(0x40376183L);
        assertThat(new TraceRecordReader().read(lines.get(4)).callers()).isNull();
    }

    @Test
    void aLongListIsOneListWithOrWithoutTheFreedMark() {
        TraceRecordReader reader = new TraceRecordReader();
        String list = "0x40376183:0x4201e13e:0x4201e23e:0x4201e33e:0x4201e43e";
        TraceRecordReader.Record first = reader.read("   248 bytes (@ 0x3fc9a000, Internal) allocated CPU 0 ccount 0x4fc9a000 caller " + list);
        TraceRecordReader.Record freed = reader.read("    32 bytes (@ 0x3fc9b000, Internal) allocated CPU 1 ccount 0x4fc9b000 caller " + list + " freed");
        TraceRecordReader.Record again = reader.read("    32 bytes (@ 0x3fc9c000, Internal) allocated CPU 1 ccount 0x4fc9b000 caller " + list);
        assertThat(freed.callers()).isSameAs(first.callers());
        assertThat(again.callers()).isSameAs(first.callers());
        assertThat(freed.freed()).isTrue();
        TraceRecordReader.Record longer = reader.read("    32 bytes (@ 0x3fc9c000, Internal) allocated CPU 1 ccount 0x4fc9b000 caller " + list + ":0x42");
        assertThat(longer.callers().frames()).hasSize(6).endsWith(0x42L);
    }

    /**
     * The grammar as the class states it, a regular expression: the reference for the hand-written reader, which reads
     * a caller list's numbers as far as they go (possessive here: a regex would back off into "0x02" + "0x4201..." where
     * "0x020x4201..." is garbled).
     */
    private static final Pattern GRAMMAR = Pattern.compile("^ *(\\d{1,12}) bytes \\(@ 0x([0-9a-fA-F]{1,8})(?:, (Internal| *PSRAM))?\\)"
            + " allocated CPU 0{0,11}(\\d) ccount 0x[0-9a-fA-F]{1,8}(?: caller ?((?:0x[0-9a-fA-F]{1,8}+:?+)*+))?( freed)? *$");

    @Test
    void mutatedRecordsReadAsTheGrammarSays() {
        List<String> seeds = List.of(
                "   248 bytes (@ 0x3fc9a000, Internal) allocated CPU 0 ccount 0x4fc9a000 caller 0x40376183:0x4201e13e:0x4201e23e:0x4201e33e:0x4201e43e",
                "    84 bytes (@ 0x3fca1b2c,  PSRAM) allocated CPU 1 ccount 0x1a2B3c4D caller 0x4037:0x42000a: freed",
                "16 bytes (@ 0x3fc90010) allocated CPU 0 ccount 0x12 caller 0x40376183:0x0:0x4201e13e  ",
                "    32 bytes (@ 0x3fc90010) allocated CPU 1 ccount 0x4fc90010 caller 0x40376183:0x4201e13e freed");
        byte[] alphabet = "0123456789abcdefxX :(),@ ".getBytes(StandardCharsets.US_ASCII);
        SplittableRandom random = new SplittableRandom(11);
        TraceRecordReader reader = new TraceRecordReader(); // one reader throughout: its list cache must never change a reading
        int whole = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder line = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edits = random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(line.length());
                char c = (char) alphabet[random.nextInt(alphabet.length)];
                switch (random.nextInt(3)) {
                    case 0 -> line.setCharAt(at, c);
                    case 1 -> line.insert(at, c);
                    default -> line.deleteCharAt(at);
                }
            }
            String text = line.toString();
            Matcher m = GRAMMAR.matcher(text);
            TraceRecordReader.Record r = reader.read(text);
            assertThat(r != null).as(text).isEqualTo(m.matches());
            if (r != null) {
                whole++;
                assertThat(r.size()).as(text).isEqualTo(Long.parseLong(m.group(1)));
                assertThat(r.address()).as(text).isEqualTo(Long.parseLong(m.group(2), 16));
                assertThat(r.memory()).as(text).isEqualTo(m.group(3) == null ? Alloc.Memory.UNSTATED
                        : m.group(3).equals("Internal") ? Alloc.Memory.INTERNAL : Alloc.Memory.PSRAM);
                assertThat(r.cpu()).as(text).isEqualTo(Integer.parseInt(m.group(4)));
                assertThat(r.freed()).as(text).isEqualTo(m.group(6) != null);
                assertThat(r.callers() == null ? null : Arrays.toString(r.callers().frames())).as(text).isEqualTo(frames(m.group(5)));
            }
        }
        assertThat(whole).isGreaterThan(10_000); // the mutations leave many records whole, so the fields are compared too
    }

    @Test
    void aDumpsCallerListsAreEachReadOnce() {
        // thirty lists as a firmware of many call sites prints them; two of these shared a slot of a table of one list
        // a slot, and took turns in it: read and interned again at every record
        List<String> lists = new ArrayList<>();
        for (int site = 0x10; site < 0x10 + 30; site++) {
            String s = Integer.toHexString(0x4200 + site);
            lists.add("0x40376183:0x" + s + "13e:0x" + s + "23e:0x" + s + "33e:0x" + s + "43e");
        }
        TraceRecordReader reader = new TraceRecordReader();
        Map<String, TraceRecordReader.Callers> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (String list : lists) {
                TraceRecordReader.Record r = reader.read("   248 bytes (@ 0x3fc9a000, Internal) allocated CPU 0 ccount 0x4fc9a000 caller " + list);
                assertThat(r.callers()).as(list).isSameAs(first.computeIfAbsent(list, k -> r.callers()));
            }
        }
        StackTable stacks = new StackTable();
        TraceRecordReader.Callers one = first.get(lists.get(0));
        assertThat(one.stack(stacks)).isEqualTo(one.stack(stacks)).isEqualTo(stacks.intern(one.frames()));
        assertThat(one.stack(new StackTable())).as("another recording's table").isEqualTo(1);
    }

    /**
     * Lists that share the first bytes the table hashes and differ in one byte anywhere after them (the last too), or
     * in their length, are never taken for each other, whichever was read before.
     */
    @Test
    void listsThatDifferInOneByteAreTwoLists() {
        String base = "0x40376183:0x4201e13e:0x4201e23e:0x4201e33e:0x4201e43e:0x4201e53e";
        List<String> lists = new ArrayList<>(List.of(base, base.substring(0, base.length() - 11), base + ":0x4201e63e"));
        for (int at = 32; at < base.length(); at++) {
            char c = base.charAt(at);
            if (c != ':' && c != 'x' && (at + 1 == base.length() || base.charAt(at + 1) != 'x')) { // a digit of a frame
                lists.add(base.substring(0, at) + (c == '9' ? '8' : '9') + base.substring(at + 1));
            }
        }
        TraceRecordReader reader = new TraceRecordReader();
        for (int round = 0; round < 2; round++) {
            for (String list : lists) {
                TraceRecordReader.Record r = reader.read("   248 bytes (@ 0x3fc9a000, Internal) allocated CPU 0 ccount 0x4fc9a000 caller " + list);
                assertThat(Arrays.toString(r.callers().frames())).as(list).isEqualTo(frames(list));
            }
        }
    }

    /** The frames of a caller list as the grammar's group has it: up to the first zero, at most 64. */
    private static String frames(String list) {
        if (list == null) {
            return null;
        }
        List<Long> frames = new ArrayList<>();
        for (Matcher m = Pattern.compile("0x([0-9a-fA-F]{1,8})").matcher(list); m.find(); ) { // colons are optional
            long pc = Long.parseLong(m.group(1), 16);
            if (pc == 0) {
                break;
            }
            if (frames.size() < CallerList.MAX) {
                frames.add(pc);
            }
        }
        return frames.toString();
    }

    private static String describe(TraceRecordReader.Record r) {
        return r == null ? "none" : r.size() + " " + Long.toHexString(r.address()) + " " + r.memory() + " " + r.cpu() + " "
                + (r.callers() == null ? "-" : Arrays.toString(r.callers().frames())) + " " + r.freed();
    }
}
