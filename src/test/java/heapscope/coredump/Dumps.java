package heapscope.coredump;

import heapscope.Fixtures;
import heapscope.symbols.Symbolizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real dumps of the corpus, decoded and read against their ELF. */
final class Dumps {
    private Dumps() {
    }

    /** A dump of the corpus with its ELF and espcoredump's output on it. */
    record Case(String dump, String elf, String expected) {
        Path dumpPath() {
            return Fixtures.corpus("esp-coredump/" + dump);
        }

        Path elfPath() {
            return Fixtures.corpus("esp-coredump/" + elf);
        }

        String expectedText() throws IOException {
            return Files.readString(Fixtures.corpus("esp-coredump/" + expected));
        }

        CoreDump decode() throws IOException {
            Path p = dumpPath();
            return CoreDumpDecoder.decode(p, CoreDumpText.find(p, Files.readAllBytes(p)).bytes());
        }

        @Override
        public String toString() {
            return dump;
        }
    }

    static final Case ESP32 = new Case("esp32_coredump.b64", "esp32.elf", "esp32_expected_output");
    static final Case ESP32C3 = new Case("esp32c3_coredump.b64", "esp32c3.elf", "esp32c3_expected_output");
    static final Case ESP32C3_BIN = new Case("esp32c3_coredump_bin.b64", "esp32c3_bin.elf", "esp32c3_expected_output_bin");

    static Case[] all() {
        return new Case[] {ESP32, ESP32C3, ESP32C3_BIN};
    }

    static CrashAnalysis.Result analyze(CoreDump dump, Symbolizer elf) {
        return CrashAnalysis.analyze(dump, elf, TcbLayouts.of(elf));
    }
}
