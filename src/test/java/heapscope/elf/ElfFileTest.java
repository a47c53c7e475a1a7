package heapscope.elf;

import heapscope.Fixtures;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElfFileTest {
    private static final Path NAME = Path.of("tiny.elf");

    private static Path fixture(String name) {
        return Fixtures.resource("elf/" + name);
    }

    @ParameterizedTest
    @CsvSource({"false, LITTLE_ENDIAN", "false, BIG_ENDIAN", "true, LITTLE_ENDIAN", "true, BIG_ENDIAN"})
    void readsEveryClassAndByteOrder(boolean elf64, String orderName) {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long base = elf64 ? 0xffffffff80001000L : 0x40080000L;
        byte[] id = HexFormat.of().parseHex("0123456789abcdef0011");
        ByteBuffer image = TinyElf.build(elf64, order, 94, base, 64, TinyElf.note(order, "GNU", 3, id),
                List.of(new TinyElf.Symbol("app_main", base + 16, 32, ElfSymbol.STT_FUNC)));

        ElfFile elf = ElfFile.parse(NAME, image);

        assertThat(elf.is64Bit()).isEqualTo(elf64);
        assertThat(elf.byteOrder()).isEqualTo(order);
        assertThat(elf.machine()).isEqualTo(ElfFile.EM_XTENSA);
        assertThat(elf.entry()).isEqualTo(base);
        assertThat(elf.section(".text")).hasValueSatisfying(s -> {
            assertThat(s.address()).isEqualTo(base);
            assertThat(s.size()).isEqualTo(64);
            assertThat(s.isExecutable()).isTrue();
        });
        assertThat(elf.symbols()).extracting(ElfSymbol::name, ElfSymbol::value, ElfSymbol::size)
                .contains(Tuple.tuple("app_main", base + 16, 32L));
        assertThat(elf.buildId()).hasValueSatisfying(b -> assertThat(b).isEqualTo(id));
        assertThat(elf.containsAddress(base + 63)).isTrue();
        assertThat(elf.containsAddress(base + 64)).isFalse();
    }

    @Test
    void readsXtensaInfoAndBuildIdNotesOfAFixture() throws Exception {
        ElfFile elf = ElfFile.open(fixture("xtensa-O2-dwarf4.elf"));

        assertThat(elf.machine()).isEqualTo(ElfFile.EM_XTENSA);
        assertThat(elf.notes()).extracting(ElfNote::name).containsExactly("GNU", "Xtensa_Info");
        ElfNote info = elf.notes().get(1);
        assertThat(new String(info.descriptor(), StandardCharsets.US_ASCII))
                .startsWith("USE_ABSOLUTE_LITERALS=0\nABI=");
        assertThat(elf.buildId()).hasValueSatisfying(b -> assertThat(b).hasSize(20));
    }

    @Test
    void aNoteThatOverrunsItsSectionEndsTheNotesWithoutFailing() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        byte[] good = TinyElf.note(le, "GNU", 3, new byte[] {1, 2, 3, 4});
        byte[] bad = TinyElf.note(le, "Xtensa_Info", 1, new byte[8]);
        ByteBuffer.wrap(bad).order(le).putInt(4, 0x7fffffff); // descsz far beyond the section
        byte[] notes = new byte[good.length + bad.length];
        System.arraycopy(good, 0, notes, 0, good.length);
        System.arraycopy(bad, 0, notes, good.length, bad.length);

        ElfFile elf = ElfFile.parse(NAME, TinyElf.build(false, le, 94, 0x1000, 16, notes, List.of()));

        assertThat(elf.notes()).extracting(ElfNote::name).containsExactly("GNU");
    }

    @Test
    void rejectsNonElfInputAtOffsetZero() {
        assertThatThrownBy(() -> ElfFile.parse(NAME, ByteBuffer.wrap("hello world, not an ELF".getBytes())))
                .isInstanceOfSatisfying(ElfFormatException.class, e -> {
                    assertThat(e.offset()).isZero();
                    assertThat(e.file()).isEqualTo(NAME);
                    assertThat(e.getMessage()).contains("tiny.elf").contains("bad magic");
                });
    }

    @Test
    void rejectsASectionTableBeyondTheFileNamingTheHeaderField() {
        ByteBuffer image = TinyElf.build(false, ByteOrder.LITTLE_ENDIAN, 94, 0x1000, 16, new byte[0], List.of());
        image.order(ByteOrder.LITTLE_ENDIAN).putInt(32, 0x7ffffff0); // e_shoff

        assertThatThrownBy(() -> ElfFile.parse(NAME, image))
                .isInstanceOfSatisfying(ElfFormatException.class, e -> assertThat(e.offset()).isEqualTo(32));
    }

    @Test
    void rejectsASectionWhoseContentsLieOutsideTheFile() {
        ByteBuffer image = TinyElf.build(false, ByteOrder.LITTLE_ENDIAN, 94, 0x1000, 16, new byte[0], List.of());
        ElfFile ok = ElfFile.parse(NAME, image.duplicate());
        ElfSection text = ok.section(".text").orElseThrow();
        int shoff = image.order(ByteOrder.LITTLE_ENDIAN).getInt(32);
        image.putInt(shoff + 40 * text.index() + 20, 0x10000000); // sh_size of .text

        ElfFile elf = ElfFile.parse(NAME, image);

        assertThatThrownBy(() -> elf.contents(elf.section(".text").orElseThrow()))
                .isInstanceOf(ElfFormatException.class).hasMessageContaining(".text");
    }

    @Test
    void truncatedFilesFailWithAnOffsetNotAnIndexError() throws Exception {
        byte[] whole = Files.readAllBytes(fixture("riscv-O2-dwarf5.elf"));
        for (int length : new int[] {0, 3, 20, 51, 52, whole.length / 2, whole.length - 1}) {
            ByteBuffer cut = ByteBuffer.wrap(whole, 0, length).slice();
            try {
                ElfFile elf = ElfFile.parse(NAME, cut);
                elf.symbols();
                elf.notes();
            } catch (ElfFormatException e) {
                assertThat(e.offset()).isBetween(0L, (long) whole.length);
            }
        }
    }
}
