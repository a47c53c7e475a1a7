package heapscope.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LineSourceTest {
    /** A line as read; long texts are kept as their length, so a failure prints a readable line. */
    private record Line(String text, boolean cut) {
        static Line of(String text, boolean cut) {
            return new Line(text.length() > 200 ? text.substring(0, 10) + "... (" + text.length() + " chars)" : text, cut);
        }
    }

    @Test
    void findsTheFirstNewlineLikeAByteLoop() {
        Random random = new Random(7);
        // bytes around LF (0x09, 0x0B, 0x8A) and borrows across bytes are where the eight-byte test could go wrong
        byte[] alphabet = {'\n', 0x09, 0x0B, (byte) 0x8A, 0x00, (byte) 0xFF, 0x01, 'a', ' '};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = b[i] == '\n' ? i : -1;
            }
            assertThat(LineSource.indexOfNewline(b, from, to)).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void splitsLinesAcrossReadsAndBufferRefillsAndCutsOverLongOnes() throws IOException {
        int max = LineSource.MAX_LINE;
        List<Line> expected = new ArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Random random = new Random(3);
        // enough short lines to cross the reader's 1 MiB buffer many times, at every offset
        for (int i = 0; i < 40_000; i++) {
            String text = "I (" + i + ") tag: " + "x".repeat(random.nextInt(120));
            log.writeBytes((text + (i % 3 == 0 ? "\r\n" : "\n")).getBytes(StandardCharsets.US_ASCII));
            expected.add(Line.of(text.substring(text.indexOf(": ") + 2), false));
            if (i % 9_000 == 0) { // lines at, just over and far over the limit, one longer than the buffer
                for (int length : new int[] {max, max + 1, 3 << 20}) {
                    byte[] line = new byte[length];
                    Arrays.fill(line, (byte) 'a');
                    log.writeBytes(line);
                    log.write('\n');
                    expected.add(Line.of("a".repeat(max), length > max));
                }
            }
        }
        log.writeBytes("no newline at the end".getBytes(StandardCharsets.US_ASCII));
        expected.add(Line.of("no newline at the end", false));

        for (int chunk : new int[] {1 << 20, 65_537, 4093}) {
            List<Line> lines = read(new Trickle(log.toByteArray(), chunk));
            assertThat(lines).as("reads of %d bytes", chunk).hasSize(expected.size());
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).as("line %d, reads of %d bytes", i + 1, chunk).isEqualTo(expected.get(i));
            }
        }
    }

    private static List<Line> read(InputStream in) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (LineSource source = new LineSource(in, "test")) {
            long number = 0;
            for (LineSource.Batch b = source.next(() -> { }); b.count() > 0; b = source.next(() -> { })) {
                for (int i = 0; i < b.count(); i++) {
                    assertThat(b.lines()[i].number()).isEqualTo(++number);
                    lines.add(Line.of(b.lines()[i].text(), b.cut()[i]));
                }
            }
        }
        return lines;
    }

    /** Hands out at most {@code chunk} bytes per read, and claims more are always waiting (a file, not a live port). */
    private static final class Trickle extends ByteArrayInputStream {
        private final int chunk;

        Trickle(byte[] bytes, int chunk) {
            super(bytes);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
