package heapscope.symbols;

import heapscope.elf.ElfFile;
import heapscope.elf.ElfFormatException;
import heapscope.elf.ElfSection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Corrupted debug sections must end in {@link ElfFormatException} (file + offset) or in answers, never
 * in another exception, a huge allocation or a hang.
 */
class MalformedDwarfTest {

    @ParameterizedTest
    @ValueSource(strings = {".debug_info", ".debug_abbrev", ".debug_line", ".debug_ranges", ".debug_rnglists",
            ".debug_str", ".debug_line_str"})
    void corruptedSectionsFailCleanly(String sectionName) throws Exception {
        for (String fixture : List.of("riscv-mixed", "xtensa-O2-dwarf5", "riscv-O0-dwarf4")) {
            Path path = OracleAgreementTest.resources().resolve(fixture + ".elf");
            byte[] original = Files.readAllBytes(path);
            ElfSection section = ElfFile.parse(path, ByteBuffer.wrap(original)).section(sectionName).orElse(null);
            if (section == null) {
                continue;
            }
            List<Long> addresses = Files.readAllLines(OracleAgreementTest.resources().resolve(fixture + ".addresses"))
                    .stream().map(a -> Long.parseLong(a.substring(2), 16)).toList();
            Random random = new Random(sectionName.hashCode() * 31L + fixture.hashCode());
            for (int round = 0; round < 40; round++) {
                byte[] bytes = original.clone();
                for (int k = 0; k < 1 + round % 8; k++) {
                    int at = (int) section.offset() + random.nextInt((int) section.size());
                    bytes[at] = (byte) (round % 3 == 0 ? 0xff : random.nextInt(256));
                }
                resolvesOrFailsCleanly(path, bytes, addresses);
            }
        }
    }

    /** Every lookup answers, or an ElfFormatException naming the file ends them; anything else fails. */
    private static void resolvesOrFailsCleanly(Path path, byte[] bytes, List<Long> addresses) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                Symbolizer s = Symbolizer.of(ElfFile.parse(path, ByteBuffer.wrap(bytes)), UnaryOperator.identity());
                for (long a : addresses) {
                    s.lookup(a);
                }
            } catch (ElfFormatException e) {
                assertThat(e.offset()).isBetween(0L, (long) bytes.length);
                assertThat(e.getMessage()).contains(path.getFileName().toString());
            }
        });
    }
}
