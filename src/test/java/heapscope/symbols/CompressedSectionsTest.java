package heapscope.symbols;

import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** zlib-compressed debug sections (SHF_COMPRESSED) resolve exactly like the uncompressed image. */
class CompressedSectionsTest {

    @Test
    void compressedImageResolvesLikeTheOriginal() throws Exception {
        Path dir = OracleAgreementTest.resources();
        Path compressed = dir.resolve("riscv-O2-dwarf5.zlib");
        assertThat(ElfFile.open(compressed).section(".debug_info")).hasValueSatisfying(
                s -> assertThat(s.flags() & ElfSection.SHF_COMPRESSED).isNotZero());
        Symbolizer plain = Symbolizer.open(dir.resolve("riscv-O2-dwarf5.elf"));
        Symbolizer zlib = Symbolizer.open(compressed);
        List<Long> addresses = Files.readAllLines(dir.resolve("riscv-O2-dwarf5.addresses")).stream()
                .map(a -> Long.parseLong(a.substring(2), 16)).toList();

        for (long a : addresses) {
            List<Frame> expected = plain.lookup(a);
            assertThat(expected).as("0x%x", a).isNotEmpty();
            assertThat(zlib.lookup(a)).as("0x%x", a).isEqualTo(expected);
        }
    }
}
