package heapscope.elf;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compressed sections inflate to at most ElfFile.MAX_INFLATED_RATIO times the file, checked before inflating. */
class InflatedSizeTest {
    /** zlib of N zero bytes: about a thousandth of N, the most zlib packs. */
    private static byte[] zeros(int n) {
        Deflater d = new Deflater(9);
        d.setInput(new byte[n]);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /**
     * An ELF32 RISC-V relocatable with one SHF_COMPRESSED section per size (.debug_0, .debug_1, ...) of that many
     * zeros, after PADDING bytes that no section holds (the rest of a firmware, for the file's size).
     */
    private static ByteBuffer elf(int padding, int... inflated) {
        StringBuilder names = new StringBuilder("\0.shstrtab\0");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[padding]);
        int[] nameAt = new int[inflated.length];
        int[] offset = new int[inflated.length];
        int[] size = new int[inflated.length];
        for (int i = 0; i < inflated.length; i++) {
            nameAt[i] = names.length();
            names.append(".debug_").append(i).append('\0');
            byte[] z = zeros(inflated[i]);
            ByteBuffer chdr = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(inflated[i]).putInt(1);
            offset[i] = 52 + body.size();
            body.writeBytes(chdr.array());
            body.writeBytes(z);
            size[i] = 12 + z.length;
        }
        byte[] strtab = names.toString().getBytes(StandardCharsets.US_ASCII);
        int strAt = 52 + body.size();
        body.writeBytes(strtab);
        int shoff = 52 + body.size();
        int shnum = inflated.length + 2;
        ByteBuffer b = ByteBuffer.allocate(shoff + 40 * shnum).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 1).putShort((short) ElfFile.EM_RISCV).putInt(1).putInt(0).putInt(0).putInt(shoff).putInt(0)
                .putShort((short) 52).putShort((short) 0).putShort((short) 0).putShort((short) 40).putShort((short) shnum)
                .putShort((short) 1);
        b.put(body.toByteArray());
        b.put(new byte[40]); // the null section
        b.putInt(1).putInt(3).putInt(0).putInt(0).putInt(strAt).putInt(strtab.length).putInt(0).putInt(0).putInt(1).putInt(0);
        for (int i = 0; i < inflated.length; i++) {
            b.putInt(nameAt[i]).putInt(1).putInt((int) ElfSection.SHF_COMPRESSED).putInt(0).putInt(offset[i]).putInt(size[i])
                    .putInt(0).putInt(0).putInt(1).putInt(0);
        }
        return b.flip();
    }

    @Test
    void sectionsWithinTheBudgetInflate() {
        ElfFile f = ElfFile.parse(Path.of("small.elf"), elf(1000, 20_000));
        assertThat(f.bytes(f.section(".debug_0").orElseThrow())).hasSize(20_000).containsOnly(0);
    }

    @Test
    void aSectionThatWouldPassTheBudgetIsRefusedByNameBeforeInflating() {
        ByteBuffer image = elf(0, 1 << 20);
        ElfFile f = ElfFile.parse(Path.of("bomb.elf"), image);
        assertThat((1 << 20) / image.limit()).isGreaterThan(ElfFile.MAX_INFLATED_RATIO);
        assertThatThrownBy(() -> f.bytes(f.section(".debug_0").orElseThrow())).isInstanceOf(ElfFormatException.class)
                .hasMessageStartingWith("bomb.elf: byte offset ").hasMessageContaining("section .debug_0 would inflate")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theBudgetIsForAllSectionsTogetherInSectionOrder() {
        int each = 600_000; // alone each fits; together they do not
        ByteBuffer image = elf(28_000, each, each);
        long budget = (long) image.limit() * ElfFile.MAX_INFLATED_RATIO;
        assertThat(budget).isBetween((long) each, 2L * each - 1);
        ElfFile f = ElfFile.parse(Path.of("two.elf"), image);
        assertThat(f.bytes(f.section(".debug_0").orElseThrow())).hasSize(each);
        assertThatThrownBy(() -> f.bytes(f.section(".debug_1").orElseThrow())).hasMessageContaining("section .debug_1 would inflate");
        assertThat(f.bytes(f.section(".debug_0").orElseThrow())).hasSize(each); // read again: still the first, still within
    }
}
