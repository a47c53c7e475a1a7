package heapscope.symbols;

import com.code_intelligence.jazzer.junit.FuzzTest;
import heapscope.demangle.Demangler;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfFormatException;
import heapscope.elf.ElfSection;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes given as an ELF resolve addresses or end in an {@link ElfFormatException} inside the file; any other
 * exception, a hang or an allocation beyond the test heap is a finding. A normal test run replays the inputs under
 * src/test/resources/heapscope/symbols/SymbolizerFuzzTestInputs; {@code scripts/fuzz} searches for new ones.
 */
class SymbolizerFuzzTest {
    private static final Path NAME = Path.of("fuzz.elf");

    @FuzzTest(maxDuration = "5m")
    void anyBytesResolveOrFailInsideTheFile(byte[] bytes) {
        try {
            ElfFile elf = ElfFile.parse(NAME, ByteBuffer.wrap(bytes));
            Symbolizer s = Symbolizer.of(elf, Demangler::demangle);
            for (ElfSection code : elf.sections()) {
                if (code.isExecutable()) {
                    long step = Math.max(2, code.size() / 32);
                    for (long a = code.address(); a - code.address() < Math.min(code.size(), 64 * step); a += step) {
                        s.lookup(a);
                        s.lookupReturnAddress(a + 3);
                    }
                }
            }
        } catch (ElfFormatException e) {
            assertThat(e.offset()).as(e.getMessage()).isBetween(0L, (long) bytes.length);
        }
    }
}
