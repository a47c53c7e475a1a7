package heapscope.sysview;

import heapscope.Fixtures;
import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.report.EventPrinter;
import heapscope.source.InputException;
import heapscope.source.InputSpec;
import heapscope.trace.Event;
import heapscope.trace.EventReader;
import heapscope.trace.Warning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damaged traces: every event before the damage is kept, the damage is reported with its byte offset, and
 * nothing throws or hangs. Cuts at every byte offset of the corpus trace; byte flips at every offset.
 */
@Timeout(300)
class SvDamageTest {
    @TempDir
    Path dir;

    private static final Path CORE0 = Fixtures.corpus("esp-idf-sysview/heap_log0.svdat");

    /** Decodes with every packet as an event, rendered as text so interned ids do not matter. */
    private static List<String> render(Path file) throws IOException {
        try (EventReader r = new SvDecoder(true).open(List.of(new InputSpec.FileInput(file)))) {
            EventPrinter p = new EventPrinter(r.recording(), false);
            List<String> out = new ArrayList<>();
            for (Event e = r.next(); e != null; e = r.next()) {
                out.add(p.text(e));
            }
            return out;
        }
    }

    private static List<Warning> warnings(Path file) throws IOException {
        try (EventReader r = new SvDecoder(false).open(List.of(new InputSpec.FileInput(file)))) {
            LeakAnalysis.run(r, null);
            return r.recording().warnings();
        }
    }

    @Test
    void truncationAtEveryByteKeepsEveryCompletePacket() throws IOException {
        byte[] full = Files.readAllBytes(CORE0);
        List<RawPackets.Packet> packets = RawPackets.split(CORE0);
        int header = RawPackets.headerLength(full);
        Set<Integer> boundaries = new TreeSet<>();
        for (RawPackets.Packet p : packets) {
            boundaries.add(p.end());
        }
        List<String> all = render(CORE0);
        assertThat(all).hasSize(packets.size()); // no NOPs in this file: one event per packet
        Path cut = dir.resolve("cut.svdat");
        for (int n = header + 1; n < full.length; n++) {
            Files.write(cut, Arrays.copyOf(full, n));
            int complete = 0;
            while (complete < packets.size() && packets.get(complete).end() <= n) {
                complete++;
            }
            List<String> events;
            List<Warning> warnings;
            try {
                events = render(cut);
                warnings = warnings(cut);
            } catch (RuntimeException e) {
                throw new AssertionError("cut at " + n + ": " + e, e);
            }
            assertThat(events).as("cut at %d", n).isEqualTo(all.subList(0, complete));
            if (boundaries.contains(n) || n == header + 10) {
                assertThat(warnings).as("cut at packet boundary %d", n).isEmpty();
            } else {
                assertThat(warnings).as("cut at %d", n).hasSize(1);
                Warning w = warnings.get(0);
                assertThat(w.unit()).isEqualTo(Warning.Unit.BYTE);
                assertThat(w.position()).as("cut at %d: %s", n, w.format()).isBetween((long) header, (long) n);
                assertThat(w.format()).startsWith(cut.toString() + ": byte ");
            }
        }
    }

    @Test
    void cutInsideTheHeaderIsAWarningNotACrash() throws IOException {
        byte[] full = Files.readAllBytes(CORE0);
        int header = RawPackets.headerLength(full);
        Path cut = dir.resolve("cut.svdat");
        for (int n = 1; n < header + 10; n++) {
            Files.write(cut, Arrays.copyOf(full, n));
            assertThat(render(cut)).as("cut at %d", n).isEmpty();
            assertThat(warnings(cut)).as("cut at %d", n).hasSize(1);
        }
        Files.write(cut, Arrays.copyOf(full, header + 10)); // header and sync, no packet yet: clean and empty
        assertThat(render(cut)).isEmpty();
        assertThat(warnings(cut)).isEmpty();
    }

    @Test
    void flippedBytesNeverBreakTheDecoderAndKeepThePrefix() throws IOException {
        byte[] full = Files.readAllBytes(CORE0);
        List<RawPackets.Packet> packets = RawPackets.split(CORE0);
        int header = RawPackets.headerLength(full);
        List<String> all = render(CORE0);
        Path bad = dir.resolve("flipped.svdat");
        Random random = new Random(42);
        for (int offset = 0; offset < full.length; offset++) {
            byte[] b = full.clone();
            b[offset] ^= (byte) (offset % 3 == 0 ? 0xFF : 1 << random.nextInt(8));
            Files.write(bad, b);
            List<String> events;
            try {
                events = render(bad);
                warnings(bad);
            } catch (InputException e) {
                // damage in the text header makes the file unrecognisable: a one-line error, nothing else
                assertThat(offset).as(e.getMessage()).isLessThan(header);
                assertThat(e.getMessage()).doesNotContain("\n").startsWith(bad.toString());
                continue;
            }
            int intact = 0;
            while (intact < packets.size() && packets.get(intact).end() <= offset) {
                intact++;
            }
            if (offset >= header) {
                assertThat(events.size()).as("flip at %d", offset).isGreaterThanOrEqualTo(intact);
                assertThat(events.subList(0, intact)).as("flip at %d", offset).isEqualTo(all.subList(0, intact));
            }
            assertThat(events.size()).isLessThanOrEqualTo(full.length);
        }
    }

    @Test
    void randomGarbageAfterAValidHeaderEndsWithAWarning() throws IOException {
        byte[] header = SvWriter.header(false, List.of());
        Random random = new Random(7);
        Path bad = dir.resolve("garbage.svdat");
        for (int round = 0; round < 300; round++) {
            byte[] junk = new byte[random.nextInt(4096)];
            random.nextBytes(junk);
            byte[] file = new byte[header.length + 10 + junk.length];
            System.arraycopy(header, 0, file, 0, header.length);
            System.arraycopy(junk, 0, file, header.length + 10, junk.length);
            Files.write(bad, file);
            try (EventReader r = new SvDecoder(true).open(List.of(new InputSpec.FileInput(bad)))) {
                LeakReport report = LeakAnalysis.run(r, null);
                assertThat(report.counts().events()).isLessThanOrEqualTo(junk.length);
            }
        }
    }

    @Test
    void aFileThatIsNotATraceIsRejectedInOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "I (297) example: hello\n");
        assertThatThrownBy(() -> render(text)).isInstanceOf(InputException.class)
                .hasMessage(text + ": not a SystemView trace (no header and no sync bytes at byte 0)");
        Path empty = Files.write(dir.resolve("empty.svdat"), new byte[0]);
        assertThatThrownBy(() -> render(empty)).isInstanceOf(InputException.class).hasMessageContaining("empty input");
        Path other = Files.writeString(dir.resolve("other.svdat"), ";\n; something else\n;\n");
        assertThatThrownBy(() -> render(other)).isInstanceOf(InputException.class).hasMessageContaining("not a SystemView trace");
    }

    @Test
    void damageInOneCoreKeepsTheOtherCoreWhole() throws IOException {
        byte[] full = Files.readAllBytes(CORE0);
        RawPackets.Packet middle = RawPackets.split(CORE0).get(400);
        Path cut = Files.write(dir.resolve("cpu0.svdat"), Arrays.copyOf(full, middle.start() + 1));
        try (EventReader r = new SvDecoder(false).open(List.of(new InputSpec.FileInput(cut),
                new InputSpec.FileInput(Fixtures.corpus("esp-idf-sysview/heap_log1.svdat"))))) {
            LeakReport report = LeakAnalysis.run(r, null);
            assertThat(report.counts().frees()).isEqualTo(27); // all frees are on core 1
            assertThat(r.recording().warnings()).hasSize(1);
            assertThat(r.recording().warnings().get(0).source()).isEqualTo(cut.toString());
        }
    }
}
