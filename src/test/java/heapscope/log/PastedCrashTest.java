package heapscope.log;

import heapscope.trace.Crash;
import heapscope.trace.Crash.BacktraceEnd;
import heapscope.trace.Crash.Kind;
import heapscope.trace.Crash.Register;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Panics read in full, and the damage a pasted panic suffers, one class per test. The logs are written here after
 * the panic handler's format strings (docs/log-formats.md), with made-up addresses.
 */
class PastedCrashTest {
    /** An Xtensa LoadProhibited, as ESP-IDF v4.4-v5 prints it. */
    private static final String XTENSA = """
            Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.

            Core  1 register dump:
            PC      : 0x400d2c5f  PS      : 0x00060730  A0      : 0x800d3a1c  A1      : 0x3ffb5f30
            A2      : 0x00000000  A3      : 0x3ffb5f70  A4      : 0x00000001  A5      : 0x00000000
            A14     : 0x00000000  A15     : 0x00000000  SAR     : 0x00000004  EXCCAUSE: 0x0000001c
            EXCVADDR: 0x00000000  LBEG    : 0x4000c2e0  LEND    : 0x4000c2f6  LCOUNT  : 0x00000000


            Backtrace: 0x400d2c5c:0x3ffb5f30 0x400d3a19:0x3ffb5f50 0x40087f2d:0x3ffb5f70 0x40088a11:0x3ffb5f90

            ELF file SHA256: 0123456789abcdef

            Rebooting...
            """;

    private static final List<Long> XTENSA_BACKTRACE = List.of(0x400d2c5cL, 0x400d3a19L, 0x40087f2dL, 0x40088a11L);

    private static Crash only(String log) {
        Decoded d = Decoded.of(log);
        assertThat(d.crashes()).as(d.warnings().toString()).hasSize(1);
        return d.crashes().get(0);
    }

    private static void assertXtensa(Crash c) {
        assertThat(c.kind()).isEqualTo(Kind.PANIC);
        assertThat(c.reason()).isEqualTo("LoadProhibited");
        assertThat(c.core()).isEqualTo(1);
        assertThat(c.pc()).isEqualTo(0x400d2c5fL);
        assertThat(c.registers()).containsExactly(new Register("EXCCAUSE", 0x1c), new Register("EXCVADDR", 0));
        assertThat(c.backtrace()).isEqualTo(XTENSA_BACKTRACE);
        assertThat(c.end()).isEqualTo(BacktraceEnd.COMPLETE);
        assertThat(c.nestedIn()).isEqualTo(-1);
    }

    @Test
    void xtensaPanicInFull() {
        assertXtensa(only(XTENSA));
        assertThat(Decoded.of(XTENSA).warnings()).isEmpty();
    }

    @Test
    void riscvPanicWithDetectedTaskAndRegistersButNoBacktrace() {
        Crash c = only("""
                Guru Meditation Error: Core  0 panic'ed (Stack protection fault).

                Detected in task "sensor task" at 0x42008a5e
                Stack pointer: 0x3fc9f370
                Core  0 register dump:
                MEPC    : 0x42008a5e  RA      : 0x42008a4c  SP      : 0x3fc9f370  GP      : 0x3fc8e600
                MSTATUS : 0x00001881  MTVEC   : 0x40380001  MCAUSE  : 0x0000001b  MTVAL   : 0x3fc9f36c

                Stack memory:
                3fc9f370: 0x00000004 0x3fc9f3dc 0x3fc96188 0x00000000 0x3c0cb000 0x00000001 0x00000000 0x36000001

                ELF file SHA256: 0123456789abcdef
                """);
        assertThat(c.reason()).isEqualTo("Stack protection fault");
        assertThat(c.task()).isEqualTo("sensor task");
        assertThat(c.pc()).isEqualTo(0x42008a5eL);
        assertThat(c.registers()).extracting(Register::name).containsExactly("MEPC", "RA", "MCAUSE", "MTVAL");
        assertThat(c.registers()).extracting(Register::value).containsExactly(0x42008a5eL, 0x42008a4cL, 0x1bL, 0x3fc9f36cL);
        assertThat(c.backtrace()).containsExactly(0x42008a5eL, 0x42008a4cL);
        assertThat(c.end()).isEqualTo(BacktraceEnd.NOT_PRINTED);
    }

    @Test
    void stackCanaryNamesTheTask() {
        Crash c = only(XTENSA.replace("(LoadProhibited). Exception was unhandled.\n",
                "(Unhandled debug exception).\nDebug exception reason: Stack canary watchpoint triggered (Tmr Svc)\n"));
        assertThat(c.reason()).isEqualTo("Unhandled debug exception");
        assertThat(c.task()).isEqualTo("Tmr Svc");
    }

    @Test
    void stackOverflowHookNamesTheTaskOfTheAbortItCauses() {
        Crash c = only("""
                ***ERROR*** A stack overflow in task wifi_cfg has been detected.

                Backtrace: 0x40081a3e:0x3ffb3e40 0x40087e21:0x3ffb3e60
                """.replace("\n\n", "\nabort() was called at PC 0x40081a3e on core 0\n\n"));
        assertThat(c.kind()).isEqualTo(Kind.ABORT);
        assertThat(c.task()).isEqualTo("wifi_cfg");
    }

    @Test
    void backtraceEndsSayWhy() {
        assertThat(only(XTENSA.replace(" 0x40088a11:0x3ffb5f90", " 0x40088a11:0x3ffb5f90 |<-CORRUPTED")).end()).isEqualTo(BacktraceEnd.CORRUPTED);
        assertThat(only(XTENSA.replace(" 0x40088a11:0x3ffb5f90", " 0x40088a11:0x3ffb5f90 |<-CONTINUES")).end()).isEqualTo(BacktraceEnd.CONTINUES);
        // the log stops inside the last entry: cut, and said so
        Decoded cut = Decoded.of(XTENSA.substring(0, XTENSA.indexOf("0x3ffb5f90") + 5));
        assertThat(cut.crashes()).singleElement().satisfies(c -> {
            assertThat(c.end()).isEqualTo(BacktraceEnd.CUT);
            assertThat(c.backtrace()).hasSize(3);
        });
        assertThat(cut.warnings()).singleElement().asString().contains("cut inside an entry");
        // the log stops before the backtrace
        Decoded before = Decoded.of(XTENSA.substring(0, XTENSA.indexOf("Backtrace")));
        assertThat(before.crashes()).singleElement().satisfies(c -> {
            assertThat(c.end()).isEqualTo(BacktraceEnd.CUT);
            assertThat(c.backtrace()).containsExactly(0x400d2c5fL);
        });
        assertThat(before.warningLines()).containsExactly(1L);
    }

    @Test
    void strayCharactersAfterTheLastEntryAreNoDamage() {
        for (String stray : List.of(")", "|", "\"", "`", " )", "\")", "]")) {
            Decoded d = Decoded.of(XTENSA.replace(" 0x40088a11:0x3ffb5f90", " 0x40088a11:0x3ffb5f90" + stray));
            assertThat(d.crashes()).as(stray).singleElement().satisfies(PastedCrashTest::assertXtensa);
            assertThat(d.warnings()).as(stray).isEmpty();
        }
        // garbage between entries is damage: kept entries, a warning, and the crash says it is cut
        Decoded d = Decoded.of(XTENSA.replace(" 0x40087f2d:", " 0x4008#f2d:"));
        assertThat(d.crashes().get(0).end()).isEqualTo(BacktraceEnd.CUT);
        assertThat(d.warnings()).singleElement().asString().contains("damaged backtrace line");
    }

    @Test
    void esp32V3FieldOrderElfBeforeBacktrace() {
        String v3 = """
                Guru Meditation Error: Core  0 panic'ed (StoreProhibited). Exception was unhandled.
                Core 0 register dump:
                PC      : 0x400d1234  PS      : 0x00060330  A0      : 0x800d5678  A1      : 0x3ffb1f00
                EXCCAUSE: 0x0000001d
                EXCVADDR: 0x00000004  LBEG    : 0x4000c2e0  LEND    : 0x4000c2f6  LCOUNT  : 0x00000000

                ELF file SHA256: 00112233445566778899aabbccddeeff

                Backtrace: 0x400d1234:0x3ffb1f00 0x400d5675:0x3ffb1f20 0x40088a11:0x3ffb1f40

                Rebooting...
                """;
        Decoded d = Decoded.of(v3);
        assertThat(d.crashes()).singleElement().satisfies(c -> {
            assertThat(c.backtrace()).containsExactly(0x400d1234L, 0x400d5675L, 0x40088a11L);
            assertThat(c.end()).isEqualTo(BacktraceEnd.COMPLETE);
            assertThat(c.registers()).containsExactly(new Register("EXCCAUSE", 0x1d), new Register("EXCVADDR", 4));
        });
        assertThat(d.warnings()).isEmpty();
        assertThat(d.recording().system().get("ELF_SHA256")).startsWith("00112233");
    }

    @Test
    void aPanicBacktraceWithoutItsMessageIsWarnedOf() {
        Decoded d = Decoded.of("I (10) app: start\n\nBacktrace: 0x400d2c5c:0x3ffb5f30 0x400d3a19:0x3ffb5f50\n\nI (20) app: x\n");
        assertThat(d.crashes()).isEmpty();
        assertThat(d.warningLines()).containsExactly(3L);
        // esp_backtrace_print() from a running application (upper-case hex) is not a crash and not news
        Decoded hook = Decoded.of("I (10) app: start\nBacktrace: 0x400D2C5C:0x3FFB5F30 0x400D3A19:0x3FFB5F50\nI (20) heap: Free heap: 1000\n");
        assertThat(hook.crashes()).isEmpty();
        assertThat(hook.warnings()).isEmpty();
    }

    @Test
    void wrappedByATerminalAtAnyWidth() {
        for (int width : new int[] {40, 57, 80, 100}) {
            Decoded d = Decoded.of(PastedCorpusTest.wrap(XTENSA, width));
            assertThat(d.crashes()).as("width " + width).singleElement().satisfies(PastedCrashTest::assertXtensa);
            assertThat(d.warnings()).as("width " + width).isEmpty();
        }
        // the crash message itself cut inside its reason
        Crash c = only(XTENSA.replace("(LoadProhibited)", "(LoadProhib\nited)"));
        assertXtensa(c);
    }

    @Test
    void runsOfBlanksInsideTheMessage() {
        assertXtensa(only(XTENSA.replace("Core  1 panic'ed", "Core" + " ".repeat(40) + "1" + " ".repeat(30) + "panic'ed")));
    }

    @Test
    void linesGluedByALostNewline() {
        // every line break of the handler's output lost, one at a time
        String[] breaks = {"Exception was unhandled.\n\n", "0x3ffb5f30\n", "0x00000000\n\n\n", "0x3ffb5f90\n\n"};
        for (String b : breaks) {
            Decoded d = Decoded.of(XTENSA.replace(b, b.strip()));
            assertThat(d.crashes()).as(b).singleElement().satisfies(PastedCrashTest::assertXtensa);
            assertThat(d.warnings()).as(b).isEmpty();
        }
    }

    @Test
    void aPanicInsideThePanicHandlerIsACrashOfItsOwn() {
        Decoded d = Decoded.of("""
                Guru Meditation Error: Core  0 panic'ed (LoadProhibited)
                . Exception was unhandled.
                Core 0 register dump:
                PC      : 0x400813aaGuru Meditation Error: Core  0 panic'ed (LoadStoreError)
                . Exception was unhandled.
                Core 0 register dump:
                PC      : 0x4008cc79  PS      : 0x00060033
                EXCCAUSE: 0x00000003

                Backtrace: 0x4008cc79:0x3ffb1f00 0x40081234:0x3ffb1f20
                """);
        assertThat(d.crashes()).hasSize(2);
        Crash outer = d.crashes().get(0);
        Crash inner = d.crashes().get(1);
        assertThat(outer.reason()).isEqualTo("LoadProhibited");
        assertThat(outer.pc()).isEqualTo(0x400813aaL);
        assertThat(outer.end()).isEqualTo(BacktraceEnd.NOT_PRINTED);
        assertThat(outer.nestedIn()).isEqualTo(-1);
        assertThat(inner.reason()).isEqualTo("LoadStoreError");
        assertThat(inner.line()).isEqualTo(4);
        assertThat(inner.nestedIn()).isEqualTo(1);
        assertThat(inner.pc()).isEqualTo(0x4008cc79L);
        assertThat(inner.registers()).containsExactly(new Register("EXCCAUSE", 3));
        assertThat(inner.backtrace()).containsExactly(0x4008cc79L, 0x40081234L);
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void theOtherCoresStateBelongsToTheCrash() {
        Decoded d = Decoded.of(XTENSA.replace("\nELF file", """

                Core  0 register dump:
                PC      : 0x40084b2a  PS      : 0x00060034  A0      : 0x8008a1c2  A1      : 0x3ffbe0b0

                Backtrace: 0x40084b27:0x3ffbe0b0 0x4008a1bf:0x3ffbe0d0

                ELF file"""));
        assertThat(d.crashes()).singleElement().satisfies(PastedCrashTest::assertXtensa);
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void oldEspIdfPanicWithBareHexAndItsSpelling() {
        Crash c = only("""
                Guru Meditation Error of type LoadProhibited occured on core   0. Exception was unhandled.
                Register dump:
                PC      :  40083842  PS      :  00060033  A0      :  80083a65  A1      :  3ffe3a70
                """);
        assertThat(c.reason()).isEqualTo("LoadProhibited");
        assertThat(c.end()).isEqualTo(BacktraceEnd.CUT); // the log ends before a backtrace
    }
}
