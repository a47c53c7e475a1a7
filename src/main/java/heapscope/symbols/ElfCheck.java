package heapscope.symbols;

import heapscope.chip.Chip;
import heapscope.elf.ElfFile;
import heapscope.trace.Condition;
import heapscope.trace.LogNames;
import heapscope.trace.Recording;
import heapscope.trace.StackTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether an ELF is the firmware that made a capture. A wrong ELF gives plausible-looking but wrong frames, so every
 * sign is checked: the ELF's SHA-256 where the capture states it, the CPU architecture of the chip, whether the
 * capture's code addresses lie in the ELF at all, and whether its code has a call before each return address.
 */
public final class ElfCheck {
    /** Enough call-stack addresses to tell; a capture holds at most a few thousand distinct ones. */
    private static final int MAX_ADDRESSES = 100_000;
    /**
     * Distinct return addresses needed to judge the code: the firmware's own has a call before every one, another
     * build's at the same addresses before few.
     */
    private static final int MIN_RETURNS = 4;

    private static final String NOT_THE_FIRMWARE = "is not the firmware of the capture";
    private static final String RAW = "Give the ELF of the build that ran (build/PROJECT.elf of that build); until then the"
            + " report shows raw addresses and infers no caller from its call graph, as without --elf";

    private ElfCheck() {
    }

    /**
     * The conditions of an ELF that is not the capture's firmware (one, naming every sign of it) or cannot name
     * anything; a report given any of them does not use the ELF's names.
     */
    public static List<Condition> problems(Path elf, Symbolizer symbolizer, Recording recording) throws IOException {
        List<String> out = new ArrayList<>();
        String captured = recording.system().get("ELF_SHA256");
        if (captured != null) {
            String digest = symbolizer.sha256();
            if (!ElfDigest.matches(captured, digest)) {
                out.add("this ELF (SHA256 " + digest.substring(0, 16) + "...) " + NOT_THE_FIRMWARE + " (ELF SHA256 "
                        + captured + "): another build, whose addresses name other code");
            }
        }
        Chip chip = Chip.parse(recording.chip()).orElse(null);
        int machine = symbolizer.elf().machine();
        if (chip != null && (machine == ElfFile.EM_XTENSA || machine == ElfFile.EM_RISCV)
                && chip.xtensa() != (machine == ElfFile.EM_XTENSA)) {
            out.add("this ELF is " + (machine == ElfFile.EM_XTENSA ? "Xtensa" : "RISC-V") + " code, so it " + NOT_THE_FIRMWARE
                    + ", which comes from an " + chip.idfName() + " (" + (chip.xtensa() ? "Xtensa" : "RISC-V")
                    + ")");
        }
        long addresses = 0;
        long inside = 0;
        CallSites calls = new CallSites(symbolizer.elf());
        Set<Long> returns = new HashSet<>();
        long afterCalls = 0;
        StackTable stacks = recording.stacks();
        for (int id = 0; id < stacks.size() && addresses < MAX_ADDRESSES; id++) {
            for (int i = 0; i < stacks.depth(id) - stacks.inferred(id); i++) { // frames from the ELF prove nothing about it
                long a = stacks.frame(id, i);
                if (a != 0) {
                    addresses++;
                    if (symbolizer.containsAddress(a)) {
                        inside++;
                        symbolizer.lookupReturnAddress(a); // finds damaged debug information before a report is written
                    }
                    if (calls.known() && symbolizer.containsCode(a) && returns.add(a)) {
                        afterCalls += calls.followsCall(a) ? 1 : 0;
                    }
                }
            }
        }
        if (addresses > 0 && inside == 0) {
            out.add("none of the capture's " + addresses + " call-stack addresses lies in this ELF's code: it "
                    + NOT_THE_FIRMWARE);
        }
        if (returns.size() >= MIN_RETURNS && afterCalls * 2 < returns.size()) {
            out.add("only " + afterCalls + " of the capture's " + returns.size() + " return addresses in this ELF's code"
                    + " follow a call instruction: its code is not the code that ran, so it " + NOT_THE_FIRMWARE);
        }
        String named = disagreement(symbolizer, recording.logNames());
        if (named != null) {
            out.add(named);
        }
        String source = elf.toString();
        List<Condition> conditions = new ArrayList<>();
        if (!out.isEmpty()) { // one mismatch, however many signs of it: each is evidence, said once in one line
            conditions.add(new Condition(Condition.Kind.ELF_MISMATCH, source, source + ": " + String.join("; also, ", out), RAW + "."));
        }
        if (!symbolizer.hasNames()) {
            conditions.add(new Condition(Condition.Kind.ELF_WITHOUT_NAMES, source, source + ": this ELF has neither debug"
                    + " information nor a symbol table (stripped?): no frame can be named",
                    "Give the unstripped ELF from the build directory (build/PROJECT.elf)."));
        }
        return conditions;
    }

    /**
     * Whether the ELF names the addresses the log's decoded lines name (idf.py monitor decoded them against the build
     * it ran with) as the log does: when most differ, one of the two is another build; null when they agree, or
     * too few can be compared to tell.
     */
    private static String disagreement(Symbolizer symbolizer, LogNames names) {
        int compared = 0;
        int differ = 0;
        String example = null;
        long exampleAddress = Long.MAX_VALUE; // the lowest: the same example on every run
        for (Map.Entry<Long, List<LogNames.Name>> e : names.all().entrySet()) {
            String logged = e.getValue().get(0).function();
            long address = e.getKey();
            if (logged == null || !symbolizer.containsCode(address) || compared == MAX_ADDRESSES) {
                continue; // ROM and other code outside the ELF: another ELF decoded it
            }
            List<Frame> frames = symbolizer.lookup(address); // the printed address itself, as the monitor decoded it
            String elf = frames.isEmpty() ? null : frames.get(0).function();
            compared++;
            if (elf == null || !core(elf).equals(core(logged))) {
                differ++;
                if (address < exampleAddress) {
                    exampleAddress = address;
                    example = String.format("0x%08x", address) + ": the log says " + logged + ", this ELF " + (elf == null ? "nothing" : elf);
                }
            }
        }
        if (compared < MIN_RETURNS || differ * 2 <= compared) {
            return null;
        }
        return "this ELF names " + differ + " of the " + compared + " code addresses the log's decoded lines (idf.py monitor) name"
                + " otherwise (" + example + "): it " + NOT_THE_FIRMWARE + ", or the monitor decoded with another build";
    }

    /** A function's name without what decoders print differently: namespaces, templates, parameters, clone suffixes. */
    private static String core(String function) {
        String s = function.replace("(anonymous namespace)", "");
        for (char cut : new char[] {'(', '<', '['}) {
            int i = s.indexOf(cut);
            if (i > 0) {
                s = s.substring(0, i);
            }
        }
        int scope = s.lastIndexOf("::");
        return (scope >= 0 ? s.substring(scope + 2) : s).strip();
    }
}
