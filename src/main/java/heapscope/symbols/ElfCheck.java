package heapscope.symbols;

import heapscope.chip.Chip;
import heapscope.elf.ElfFile;
import heapscope.trace.Recording;
import heapscope.trace.StackTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an ELF is the firmware that made a capture. A wrong ELF gives plausible-looking but wrong frames, so every
 * sign is checked: the ELF's SHA-256 where the capture states it, the CPU architecture of the chip, and whether the
 * capture's code addresses lie in the ELF at all.
 */
public final class ElfCheck {
    /** Enough call-stack addresses to tell; a capture holds at most a few thousand distinct ones. */
    private static final int MAX_ADDRESSES = 100_000;

    private static final String NOT_THE_FIRMWARE = "is not the firmware of the capture";
    private static final String STRIPPED = "has neither debug information nor a symbol table";

    private ElfCheck() {
    }

    /** Whether a warning's message is one of {@link #problems}: reports show those at the top. */
    public static boolean isProblem(String message) {
        return message.contains(NOT_THE_FIRMWARE) || message.contains(STRIPPED);
    }

    /** One sentence per sign that ELF is not the capture's firmware or cannot name anything. */
    public static List<String> problems(Path elf, Symbolizer symbolizer, Recording recording) throws IOException {
        List<String> out = new ArrayList<>();
        String captured = recording.system().get("ELF_SHA256");
        if (captured != null) {
            String digest = ElfDigest.sha256(elf);
            if (!ElfDigest.matches(captured, digest)) {
                out.add("this ELF (SHA256 " + digest.substring(0, 16) + "...) " + NOT_THE_FIRMWARE + " (ELF SHA256 "
                        + captured + "): frames may be wrong");
            }
        }
        Chip chip = Chip.parse(recording.chip()).orElse(null);
        int machine = symbolizer.elf().machine();
        if (chip != null && (machine == ElfFile.EM_XTENSA || machine == ElfFile.EM_RISCV)
                && chip.xtensa() != (machine == ElfFile.EM_XTENSA)) {
            out.add("this ELF is " + (machine == ElfFile.EM_XTENSA ? "Xtensa" : "RISC-V") + " code, so it " + NOT_THE_FIRMWARE
                    + ", which comes from an " + chip.idfName() + " (" + (chip.xtensa() ? "Xtensa" : "RISC-V")
                    + "): frames are wrong");
        }
        if (!symbolizer.hasNames()) {
            out.add("this ELF " + STRIPPED + " (stripped?): no frame can be named; give"
                    + " the ELF from the build directory (build/PROJECT.elf)");
        }
        long addresses = 0;
        long inside = 0;
        StackTable stacks = recording.stacks();
        for (int id = 0; id < stacks.size() && addresses < MAX_ADDRESSES; id++) {
            for (int i = 0; i < stacks.depth(id); i++) {
                long a = stacks.frame(id, i);
                if (a != 0) {
                    addresses++;
                    inside += symbolizer.containsAddress(a) ? 1 : 0;
                }
            }
        }
        if (addresses > 0 && inside == 0) {
            out.add("none of the capture's " + addresses + " call-stack addresses lies in this ELF's code: it "
                    + NOT_THE_FIRMWARE);
        }
        return out;
    }
}
