package heapscope.coredump;

import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way a dump reaches the user, and dumps that are damaged: the real dumps, re-wrapped or broken on purpose. */
class CoreDumpInputTest {
    private static final Path LOG = Path.of("capture.log");

    private static byte[] raw(Dumps.Case c) throws IOException {
        return CoreDumpText.find(c.dumpPath(), Files.readAllBytes(c.dumpPath())).bytes();
    }

    @Test
    void theBase64BlockIsFoundInASerialLogThroughPrefixesTimestampsAndColours() throws IOException {
        List<String> b64 = Files.readAllLines(Dumps.ESP32.dumpPath());
        StringBuilder log = new StringBuilder("I (312) cpu_start: Starting scheduler.\n");
        log.append("abort() was called at PC 0x400d66b9 on core 0\n");
        log.append("[12:00:01.120] ================= CORE DUMP START =================\n");
        String[] prefixes = {"> ", "[12:00:01.123] ", "\u001b[0;32m", ""};
        for (int i = 0; i < b64.size(); i++) {
            log.append(prefixes[i % prefixes.length]).append(b64.get(i)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        log.append("> ================= CORE DUMP END =================\nRebooting...\n");
        CoreDumpText.Found found = CoreDumpText.find(LOG, log.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(found.bytes()).isEqualTo(raw(Dumps.ESP32));
        assertThat(found.line()).isEqualTo(3);
        assertThat(found.warnings()).isEmpty();
    }

    @Test
    void aPartitionImageReadWithEsptoolDecodesUpToTheHeadersLength() throws IOException {
        byte[] dump = raw(Dumps.ESP32C3);
        byte[] partition = Arrays.copyOf(dump, 0x10000);
        Arrays.fill(partition, dump.length, partition.length, (byte) 0xff); // erased flash after the dump
        CoreDumpText.Found found = CoreDumpText.find(Path.of("coredump.bin"), partition);
        CoreDump d = CoreDumpDecoder.decode(Path.of("coredump.bin"), found.bytes());
        assertThat(d.warnings()).isEmpty();
        assertThat(d.tasks()).hasSize(3);
        assertThat(d.segments()).hasSameSizeAs(Dumps.ESP32C3.decode().segments());
    }

    @Test
    void aBadChecksumIsAWarningWithItsOffsetAndEverythingIsStillDecoded() throws IOException {
        byte[] dump = raw(Dumps.ESP32);
        byte[] flipped = dump.clone();
        flipped[2000] ^= 0x10; // inside a stack
        CoreDump d = CoreDumpDecoder.decode(LOG, flipped);
        assertThat(d.warnings()).singleElement().asString()
                .startsWith("byte offset " + (dump.length - 4) + ": CRC32 is ").contains("damaged; decoded anyway");
        assertThat(d.tasks()).hasSize(6);
        assertThat(d.panicReason()).isEqualTo("abort() was called at PC 0x400d66b9 on core 0");
    }

    @Test
    void aTruncatedDumpKeepsWhatItHolds() throws IOException {
        byte[] dump = raw(Dumps.ESP32);
        CoreDump d = CoreDumpDecoder.decode(LOG, Arrays.copyOf(dump, 5000));
        assertThat(d.warnings().get(0)).contains("only 5000 are here: truncated");
        assertThat(d.warnings()).anyMatch(w -> w.contains("extends beyond the dump"));
        assertThat(d.tasks()).hasSize(6); // the registers notes come first
        assertThat(d.segments()).isNotEmpty().hasSizeLessThan(12);
    }

    @Test
    void notACoreDumpIsOneErrorNamingTheOffset() {
        byte[] junk = new byte[64];
        junk[4] = 0x55;
        assertThatThrownBy(() -> CoreDumpDecoder.decode(Path.of("x.bin"), junk)).isInstanceOf(CoreDumpException.class)
                .hasMessage("x.bin: byte offset 4 (0x4): unknown core dump version 0x0055 (not an ESP-IDF core dump?)");
        assertThatThrownBy(() -> CoreDumpText.find(Path.of("x.log"), "hello\nworld!\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CoreDumpException.class).hasMessageContaining("no core dump");
    }

    /** The legacy binary format, written from the ELF-format dump's own TCBs and stacks, reads the same. */
    @Test
    void theLegacyBinaryFormatGivesTheSameTasksRegistersAndBacktraces() throws IOException {
        CoreDump elfFormat = Dumps.ESP32C3.decode();
        byte[] bin = BinaryDumpWriter.write(5, 0x154, elfFormat.segments());
        CoreDump binary = CoreDumpDecoder.decode(Path.of("bin"), bin);
        assertThat(binary.elfFormat()).isFalse();
        assertThat(binary.warnings()).isEmpty();
        assertThat(binary.arch()).isEqualTo(Arch.RISCV);
        assertThat(binary.tasks()).hasSameSizeAs(elfFormat.tasks());
        for (int i = 0; i < binary.tasks().size(); i++) {
            assertThat(binary.tasks().get(i).tcb()).isEqualTo(elfFormat.tasks().get(i).tcb());
            assertThat(binary.tasks().get(i).registers()).isEqualTo(elfFormat.tasks().get(i).registers());
        }
        Symbolizer elf = Symbolizer.open(Dumps.ESP32C3.elfPath());
        List<List<Long>> a = Dumps.analyze(binary, elf).tasks().stream()
                .map(t -> t.backtrace().frames().stream().map(StackFrame::pc).toList()).toList();
        List<List<Long>> b = Dumps.analyze(elfFormat, elf).tasks().stream()
                .map(t -> t.backtrace().frames().stream().map(StackFrame::pc).toList()).toList();
        assertThat(a).isEqualTo(b);
        byte[] bad = bin.clone();
        bad[100] ^= 1;
        assertThat(CoreDumpDecoder.decode(Path.of("bin"), bad).warnings()).singleElement().asString().contains("CRC32");
    }

    @Test
    void aWrongElfIsSaid() throws IOException {
        CoreDump c3 = Dumps.ESP32C3.decode();
        CrashAnalysis.Result r = Dumps.analyze(c3, Symbolizer.open(Dumps.ESP32.elfPath()));
        assertThat(r.warnings()).anyMatch(w -> w.contains("the ELF is for XTENSA but the dump is from RISCV"));
        CrashAnalysis.Result other = Dumps.analyze(c3, Symbolizer.open(Dumps.ESP32C3_BIN.elfPath()));
        assertThat(other.warnings()).anyMatch(w -> w.contains("not the dump's firmware"));
    }

    @Test
    void aCoreElfSavedWithoutTheDumpHeaderDecodesAndSaysTheChipIsUnknown() throws IOException {
        byte[] dump = raw(Dumps.ESP32C3);
        byte[] elf = Arrays.copyOfRange(dump, 24, dump.length - 4); // header and CRC32 off
        CoreDump d = CoreDumpDecoder.decode(Path.of("core.elf"), CoreDumpText.find(Path.of("core.elf"), elf).bytes());
        assertThat(d.chipName()).isEqualTo("unknown chip");
        assertThat(d.arch()).isEqualTo(Arch.RISCV);
        assertThat(d.tasks()).hasSize(3);
        assertThat(d.warnings()).isEmpty();
    }
}
