package heapscope.elf;

import heapscope.symbols.Frame;
import heapscope.symbols.SymbolHit;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Without debug information the symbolizer names the containing ELF symbol and the offset into it. */
class SymbolFallbackTest {

    @Test
    void namesTheContainingSymbolWhenThereIsNoDwarf() {
        long base = 0x400d0000L;
        ElfFile elf = ElfFile.parse(Path.of("stripped.elf"), TinyElf.build(false, ByteOrder.LITTLE_ENDIAN,
                ElfFile.EM_XTENSA, base, 0x100, new byte[0], List.of(
                        new TinyElf.Symbol("app_main", base + 0x10, 0x20, ElfSymbol.STT_FUNC),
                        new TinyElf.Symbol("_ZN3foo3barEv", base + 0x40, 0x10, ElfSymbol.STT_FUNC))));
        Symbolizer s = Symbolizer.of(elf, name -> name.equals("_ZN3foo3barEv") ? "foo::bar()" : name);

        assertThat(s.lookup(base + 0x14)).containsExactly(new Frame("app_main", null, 0, 0, false));
        assertThat(s.symbol(base + 0x14)).contains(new SymbolHit("app_main", 4, null));
        assertThat(s.lookup(base + 0x48)).extracting(Frame::function).containsExactly("foo::bar()");
        assertThat(s.lookup(base + 0x30)).as("past app_main's size, before foo::bar").isEmpty();
        assertThat(s.lookup(base + 0x200)).as("outside every section").isEmpty();
        assertThat(s.containsAddress(base + 0x30)).isTrue();
        assertThat(s.containsAddress(base + 0x200)).isFalse();
        assertThat(Symbolizer.of(elf, UnaryOperator.identity()).lookupReturnAddress(base + 0x11))
                .extracting(Frame::function).containsExactly("app_main");
    }
}
