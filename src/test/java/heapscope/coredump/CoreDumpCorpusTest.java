package heapscope.coredump;

import heapscope.report.CoreDumpReport;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field espcoredump.py info_corefile prints (through GDB) on the real dumps, compared with what heapscope
 * reads without GDB: crashed task, interrupt context, panic reason, registers, every task's frames, the task table,
 * the memory regions and the memory contents.
 */
class CoreDumpCorpusTest {
    private static final Pattern CRASHED = Pattern.compile("Crashed task handle: 0x([0-9a-f]+), name: '([^']*)'");
    private static final Pattern REGISTER = Pattern.compile("^(\\w+)\\s+0x([0-9a-f]+)", Pattern.MULTILINE);
    private static final Pattern TASK_ROW = Pattern.compile("^0x([0-9a-f]+)\\s+(\\S+)\\s+(\\d+)/(\\d+)\\s+(\\d+)/(\\d+)$", Pattern.MULTILINE);
    private static final Pattern THREAD = Pattern.compile("^==================== THREAD (\\d+) \\(TCB: 0x([0-9a-f]+), name: '([^']*)'\\)");
    private static final Pattern FRAME = Pattern.compile("^#\\d+\\s+(?:0x([0-9a-f]+) in )?(\\S+) \\(.*?\\)(?: at (\\S+):(\\d+))?$");
    private static final Pattern WORDS = Pattern.compile("^0x([0-9a-f]+):((?:\\s+0x[0-9a-f]+)+)$", Pattern.MULTILINE);

    static Dumps.Case[] cases() {
        return Dumps.all();
    }

    private static String section(String text, String from, String to) {
        int a = text.indexOf(from);
        int b = text.indexOf(to, a + from.length());
        return text.substring(a + from.length(), b < 0 ? text.length() : b);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void crashedTaskInterruptContextAndPanicReason(Dumps.Case c) throws IOException {
        String expected = c.expectedText();
        CoreDump dump = c.decode();
        Symbolizer elf = Symbolizer.open(c.elfPath());
        CrashAnalysis.Result r = Dumps.analyze(dump, elf);
        assertThat(dump.warnings()).isEmpty();
        Matcher m = CRASHED.matcher(expected);
        assertThat(m.find()).isTrue();
        assertThat(r.crashed().dump().tcb()).isEqualTo(Long.parseLong(m.group(1), 16));
        assertThat(r.crashed().info().name()).isEqualTo(m.group(2));
        assertThat(expected).contains("Crashed task is not in the interrupt context");
        assertThat(dump.isrContext()).isFalse();
        Matcher p = Pattern.compile("Panic reason: (.*)").matcher(expected);
        assertThat(p.find()).isTrue();
        assertThat(dump.panicReason()).isEqualTo(p.group(1).strip());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void currentThreadRegisters(Dumps.Case c) throws IOException {
        String regs = section(c.expectedText(), "CURRENT THREAD REGISTERS", "CURRENT THREAD STACK");
        CoreDump dump = c.decode();
        Map<String, Long> ours = new TreeMap<>();
        List<String> names = dump.arch().registerNames();
        long[] values = dump.crashedTask().registers();
        for (int i = 0; i < names.size(); i++) {
            ours.put(names.get(i), values[i]);
        }
        for (NamedValue v : dump.exceptionRegisters()) {
            ours.put(v.name(), v.value());
        }
        Matcher m = REGISTER.matcher(regs);
        int compared = 0;
        while (m.find()) {
            if (ours.containsKey(m.group(1))) {
                assertThat(ours.get(m.group(1))).as(m.group(1)).isEqualTo(Long.parseLong(m.group(2), 16));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(dump.arch() == Arch.XTENSA ? 22 + 13 : 32);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void taskTable(Dumps.Case c) throws IOException {
        CrashAnalysis.Result r = Dumps.analyze(c.decode(), Symbolizer.open(c.elfPath()));
        Matcher m = TASK_ROW.matcher(c.expectedText());
        List<String> expected = new ArrayList<>();
        while (m.find()) {
            expected.add(String.join(" ", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
        }
        List<String> ours = new ArrayList<>();
        for (CrashAnalysis.Task t : r.tasks()) {
            TaskInfo i = t.info();
            ours.add(String.join(" ", Long.toHexString(t.dump().tcb()), i.name(), "" + i.priority(), "" + i.basePriority(),
                    "" + i.stackUsed(), "" + i.stackFree()));
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ours).isEqualTo(expected);
        assertThat(r.layout().source()).startsWith("DWARF");
    }

    /** One frame as GDB printed it: its PC when shown, function, file and line when known. */
    private record GdbFrame(Long pc, String function, String file, int line) {
    }

    private static Map<Long, List<GdbFrame>> gdbThreads(String text) {
        Map<Long, List<GdbFrame>> out = new LinkedHashMap<>();
        List<GdbFrame> current = null;
        for (String line : text.split("\n")) {
            Matcher t = THREAD.matcher(line);
            if (t.find()) {
                current = new ArrayList<>();
                out.put(Long.parseLong(t.group(2), 16), current);
                continue;
            }
            if (line.startsWith("=")) {
                current = null;
            }
            Matcher f = FRAME.matcher(line);
            if (current != null && f.find()) {
                current.add(new GdbFrame(f.group(1) == null ? null : Long.parseLong(f.group(1), 16), f.group(2), f.group(3),
                        f.group(4) == null ? 0 : Integer.parseInt(f.group(4))));
            }
        }
        return out;
    }

    /**
     * Same frames in the same order: PCs where GDB prints one, functions (ROM functions, which only the ROM ELF
     * names, by PC alone), files and lines. GDB also prints a last frame "?? ()" made from a zero return address
     * (0, or 0x40000000 with Xtensa's window bits): heapscope ends the backtrace there instead.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void everyTasksBacktrace(Dumps.Case c) throws IOException {
        Symbolizer elf = Symbolizer.open(c.elfPath());
        CrashAnalysis.Result r = Dumps.analyze(c.decode(), elf);
        CoreDumpReport report = new CoreDumpReport(List.of(elf));
        Map<Long, List<GdbFrame>> gdb = gdbThreads(c.expectedText());
        assertThat(gdb.keySet()).containsExactlyElementsOf(r.tasks().stream().map(t -> t.dump().tcb()).toList());
        int frames = 0;
        for (CrashAnalysis.Task t : r.tasks()) {
            List<GdbFrame> want = new ArrayList<>(gdb.get(t.dump().tcb()));
            GdbFrame last = want.get(want.size() - 1);
            if (last.function().equals("??") && last.pc() != null && (last.pc() & 0x3fffffffL) == 0) {
                want.remove(want.size() - 1);
            }
            List<CoreDumpReport.Line> ours = new ArrayList<>();
            for (StackFrame f : t.backtrace().frames()) {
                ours.addAll(report.lines(f));
            }
            assertThat(ours).as("frames of %s", t.info().name()).hasSameSizeAs(want);
            for (int i = 0; i < want.size(); i++) {
                GdbFrame w = want.get(i);
                CoreDumpReport.Line o = ours.get(i);
                String where = t.info().name() + " #" + i;
                if (w.pc() != null) {
                    assertThat(o.pc()).as(where).isEqualTo(w.pc());
                }
                if (o.function() == null) {
                    assertThat(elf.containsAddress(o.pc())).as(where + " unnamed only outside the ELF").isFalse();
                } else {
                    assertThat(o.function()).as(where).isEqualTo(w.function());
                    assertThat(o.file()).as(where).isEqualTo(w.file());
                    assertThat(o.line()).as(where).isEqualTo(w.line());
                }
                frames++;
            }
        }
        assertThat(frames).isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void memoryRegionsAsEspcoredumpListsThem(Dumps.Case c) throws IOException {
        String expected = section(c.expectedText(), "Name   Address   Size   Attrs\n", "\n\n");
        CrashAnalysis.Result r = Dumps.analyze(c.decode(), Symbolizer.open(c.elfPath()));
        StringBuilder ours = new StringBuilder();
        for (MemoryRegion m : r.regions()) {
            ours.append(String.format("%s 0x%x 0x%x %s%n", m.name(), m.address(), m.size(), m.attributes()));
        }
        assertThat(ours.toString().strip()).isEqualTo(expected.strip());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void memoryContentsWordForWord(Dumps.Case c) throws IOException {
        String contents = section(c.expectedText(), "CORE DUMP MEMORY CONTENTS", "CORE DUMP END");
        CoreDump dump = c.decode();
        Memory memory = dump.memory();
        Matcher m = WORDS.matcher(contents);
        int words = 0;
        while (m.find()) {
            long address = Long.parseLong(m.group(1), 16);
            for (String w : m.group(2).strip().split("\\s+")) {
                assertThat(memory.u32(address)).as("0x%x", address).isEqualTo(Long.parseLong(w.substring(2), 16));
                address += 4;
                words++;
            }
        }
        assertThat(words).isEqualTo(dump.segments().stream().mapToInt(g -> g.data().length / 4).sum());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void textReportNamesTheCrash(Dumps.Case c) throws IOException {
        Symbolizer elf = Symbolizer.open(c.elfPath());
        StringWriter s = new StringWriter();
        new CoreDumpReport(List.of(elf)).write(Dumps.analyze(c.decode(), elf), new PrintWriter(s));
        assertThat(s.toString()).contains("Crashed task handle: 0x", "name: 'main'", "in fail_once at ", "Panic reason: abort() was called");
    }
}
