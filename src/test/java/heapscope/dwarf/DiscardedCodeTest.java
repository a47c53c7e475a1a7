package heapscope.dwarf;

import heapscope.Fixtures;
import heapscope.elf.ElfFile;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * x86_64-llvm-dwarf5.elf keeps DWARF for "unused", whose code --gc-sections discarded: the unit's
 * range list, the function's DIE and its line rows still cover [0, 0x15) (llvm-symbolizer 14 answers
 * "unused" for 0x4). Such ranges must not answer lookups.
 */
class DiscardedCodeTest {

    private static Path elf() {
        return Fixtures.resource("elf/x86_64-llvm-dwarf5.elf");
    }

    private static DwarfIndex index(CodeRanges code) throws Exception {
        return DwarfIndex.build(DwarfSections.of(ElfFile.open(elf())), code);
    }

    @Test
    void rangesOfDiscardedFunctionsAreIgnored() throws Exception {
        DwarfIndex index = index(CodeRanges.of(new long[][] {{0x400000L, 0x401000L}}));

        assertThat(index.lookup(0x4)).isEmpty();
        assertThat(index.lookup(0x400030)).extracting(SourceFrame::function).containsExactly("inc_helper", "outer");
        assertThat(Symbolizer.open(elf()).lookup(0x4)).isEmpty();
    }

    @Test
    void theSameLookupFindsTheDiscardedFunctionIfAddressZeroHeldCode() throws Exception {
        DwarfIndex zeroIsCode = index(CodeRanges.of(new long[][] {{0, 0x100}, {0x400000L, 0x401000L}}));

        assertThat(zeroIsCode.lookup(0x4)).extracting(SourceFrame::function).containsExactly("unused");
    }
}
