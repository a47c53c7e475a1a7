package heapscope.cli;

import heapscope.Fixtures;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged debug information costs the names it held, never the report: the example firmware's ELF with one random
 * byte of a DWARF section changed still gives the leak report, and says which section is damaged and where.
 */
class DamagedDebugInfoTest {
    private static final Path ELF = Fixtures.example("connection/app.elf");
    private static final String CPU0 = Fixtures.example("connection/cpu0.svdat").toString();
    private static final String CPU1 = Fixtures.example("connection/cpu1.svdat").toString();
    private static final Pattern WARNING = Pattern.compile("damaged debug information in (\\.debug_\\w+) at offset 0x([0-9a-f]+) \\(byte (\\d+) of the file\\)");

    @TempDir
    Path dir;

    @Test
    void everyOneByteDamageStillGivesTheReportAndNamesTheSectionAndOffset() throws IOException {
        byte[] original = Files.readAllBytes(ELF);
        ElfFile elf = ElfFile.parse(ELF, ByteBuffer.wrap(original));
        List<ElfSection> dwarf = elf.sections().stream().filter(s -> s.name().startsWith(".debug_") && s.size() > 0
                && !s.name().equals(".debug_frame")).toList(); // call frame information is not read
        assertThat(dwarf).extracting(ElfSection::name).contains(".debug_info", ".debug_abbrev", ".debug_line");
        Random random = new Random(14);
        Path damaged = dir.resolve("damaged.elf");
        int warned = 0;
        for (int round = 0; round < 200; round++) {
            ElfSection section = dwarf.get(random.nextInt(dwarf.size()));
            byte[] bytes = original.clone();
            int at = (int) section.offset() + random.nextInt((int) section.size());
            bytes[at] = (byte) (bytes[at] ^ (1 + random.nextInt(255)));
            Files.write(damaged, bytes);
            CliRun run = CliRun.of("analyze", CPU0, CPU1, "--elf", damaged.toString(), "--color", "never");
            String what = section.name() + " byte " + (at - section.offset());
            assertThat(run.status()).as(what + ": " + run.err()).isZero();
            assertThat(run.out()).as(what).contains("Found 108144 leaked bytes in 830 blocks.");
            Matcher m = WARNING.matcher(run.err());
            if (m.find()) {
                warned++;
                ElfSection named = elf.section(m.group(1)).orElseThrow();
                long offset = Long.parseLong(m.group(2), 16);
                assertThat(offset).as(what).isLessThan(named.size());
                assertThat(Long.parseLong(m.group(3))).isEqualTo(named.offset() + offset);
                assertThat(run.out()).as(what).contains("damaged debug information in " + m.group(1));
            }
        }
        assertThat(warned).as("damages found by the reader").isGreaterThan(10);
    }
}
