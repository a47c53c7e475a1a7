package heapscope.coredump;

import heapscope.chip.Chip;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfSection;
import heapscope.symbols.ElfDigest;
import heapscope.symbols.Symbolizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A core dump read against its application ELF: every task's TCB fields and backtrace, and the memory regions as
 * espcoredump lists them. Symbolizing the frames is left to the renderer.
 */
public final class CrashAnalysis {
    private static final int SHT_PROGBITS = 1;

    private CrashAnalysis() {
    }

    /** One task: what the dump saved, what its TCB says, and its call stack. */
    public record Task(TaskDump dump, TaskInfo info, Backtrace backtrace) {
    }

    /**
     * The whole reading.
     *
     * @param otherFirmware why the ELF is not the dump's firmware, or null when it is (or the dump does not say)
     */
    public record Result(CoreDump dump, TcbLayout layout, List<Task> tasks, List<MemoryRegion> regions, List<String> warnings,
                         String otherFirmware) {
        public Task crashed() {
            TaskDump c = dump.crashedTask();
            return tasks.stream().filter(t -> t.dump() == c).findFirst().orElse(null);
        }
    }

    public static Result analyze(CoreDump dump, Symbolizer app, TcbLayout layout) {
        ElfFile elf = app.elf();
        List<String> warnings = new ArrayList<>(dump.warnings());
        Arch elfArch = Arch.ofMachine(elf.machine());
        if (elfArch != dump.arch()) {
            warnings.add("the ELF is for " + (elfArch == null ? "machine " + elf.machine() : elfArch)
                    + " but the dump is from " + dump.arch() + ": backtraces are not read");
        }
        String otherFirmware = firmwareMismatch(dump, app).orElse(null);
        if (otherFirmware != null) {
            warnings.add(otherFirmware);
        }
        Memory memory = dump.memory();
        Code code = new ElfCode(elf, Chip.parse(dump.chipName()).orElse(null));
        XtensaUnwinder xtensa = new XtensaUnwinder(code);
        RiscvUnwinder riscv = dump.arch() == Arch.RISCV && elfArch == Arch.RISCV ? new RiscvUnwinder(Cfi.of(elf), code) : null;
        List<Task> tasks = new ArrayList<>();
        for (TaskDump t : dump.tasks()) {
            Backtrace bt;
            if (elfArch != dump.arch()) {
                bt = new Backtrace(List.of(new StackFrame(t.pc(), t.registers()[dump.arch().sp()], "registers")),
                        "the ELF does not match the dump's architecture");
            } else {
                bt = dump.arch() == Arch.XTENSA ? xtensa.unwind(t.registers(), memory) : riscv.unwind(t.registers(), memory);
            }
            tasks.add(new Task(t, TaskInfo.read(memory, t.tcb(), layout), bt));
        }
        return new Result(dump, layout, List.copyOf(tasks), regions(dump, elf), List.copyOf(warnings), otherFirmware);
    }

    /**
     * Whether {@code elf} is the build that wrote the dump: the firmware records the start of its ELF's SHA-256 (as
     * ESP-IDF computes it, over the whole file). A different hash means another build, or an ELF changed since
     * (stripped, recompressed): names and lines may be wrong.
     */
    public static Optional<String> firmwareMismatch(CoreDump dump, Symbolizer app) {
        String want = dump.appSha256();
        Path path = app.elf().path();
        if (want == null || want.isEmpty() || path == null || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            String got = app.sha256();
            if (ElfDigest.matches(want, got)) {
                return Optional.empty();
            }
            return Optional.of("the ELF is not the dump's firmware: the dump names an ELF whose SHA-256 starts with " + want
                    + ", this one's starts with " + got.substring(0, Math.min(got.length(), Math.max(want.length(), 8)))
                    + " (another build, or the ELF was changed since): names and lines may be wrong");
        } catch (IOException e) {
            return Optional.of("cannot read the ELF to check it is the dump's firmware: " + e.getMessage());
        }
    }

    /**
     * The application's sections with contents (in section order), each merged with the dump memory that overlaps it,
     * then the dump segments no section took, as espcoredump's info_corefile lists them.
     */
    static List<MemoryRegion> regions(CoreDump dump, ElfFile elf) {
        List<Segment> left = new ArrayList<>(dump.segments());
        List<MemoryRegion> out = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            if (s.type() != SHT_PROGBITS || s.address() == 0) {
                continue;
            }
            long secStart = s.address();
            long secEnd = secStart + s.size();
            boolean merged = false;
            // espcoredump removes a merged segment while iterating, which passes over the one after it: so does this
            for (int i = 0; i < left.size(); i++) {
                Segment g = left.get(i);
                long start;
                long size;
                if (g.address() <= secStart && secStart <= g.end()) {
                    start = g.address();
                    size = g.end() <= secEnd ? s.size() + (secStart - g.address()) : g.data().length;
                } else if (secStart <= g.address() && g.address() <= secEnd) {
                    start = secStart;
                    size = g.end() >= secEnd ? s.size() + g.end() - secEnd : s.size();
                } else {
                    continue;
                }
                out.add(new MemoryRegion(s.name(), start, size, attributes(s)));
                left.remove(i);
                merged = true;
            }
            if (!merged) {
                out.add(new MemoryRegion(s.name(), secStart, s.size(), attributes(s)));
            }
        }
        for (Segment g : left) {
            String name = (g.flags() & Segment.PF_X) != 0 ? ".coredump.rom.text" : ".coredump.tasks.data";
            out.add(new MemoryRegion(name, g.address(), g.data().length, g.attributes()));
        }
        return List.copyOf(out);
    }

    private static String attributes(ElfSection s) {
        long f = s.flags();
        if ((f & 0xf0000000L) != 0) {
            return "MS";
        }
        return "R" + ((f & 1) != 0 ? "W" : " ") + ((f & 4) != 0 ? "X" : " ") + ((f & 2) != 0 ? "A" : " ");
    }
}
