package heapscope.coredump;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The windowed-ABI rules one at a time, on hand-made register sets and base save areas. */
class XtensaUnwinderTest {
    private final XtensaUnwinder unwinder = new XtensaUnwinder(new FakeCode(0x40000000L, 0x40400000L));

    private static long[] registers(long pc, long a0, long sp) {
        long[] r = new long[Arch.XTENSA.registerNames().size()];
        r[0] = pc;
        r[6] = a0;
        r[7] = sp;
        return r;
    }

    @Test
    void callersComeFromTheWindowBitsAndTheBaseSaveAreaBelowEachStackPointer() {
        // frame 0 at 0x40081000 called by CALL8 (window bits 10) from 0x40082000; its caller's a0/a1 sit at sp-16/sp-12
        Stack s = new Stack(0x3ffb0000L, 0x100)
                .put(0x3ffb0020L - 16, 0x40083000L | 0x40000000L | 0x80000000L, 0x3ffb0060L) // CALL12 from 0x40083000
                .put(0x3ffb0060L - 16, 0, 0x3ffb0080L); // the task's first function: a0 = 0
        Backtrace bt = unwinder.unwind(registers(0x40081000L, 0x80082000L, 0x3ffb0020L), s.memory());
        assertThat(bt.frames()).extracting(StackFrame::pc).containsExactly(0x40081000L, 0x40082000L, 0x40083000L);
        assertThat(bt.frames()).extracting(StackFrame::sp).containsExactly(0x3ffb0020L, 0x3ffb0060L, 0x3ffb0080L);
        assertThat(bt.stopReason()).isNull();
    }

    @Test
    void theCallersPcTakesItsTopBitsFromTheCurrentPc() {
        Stack s = new Stack(0x3ffb0000L, 0x100).put(0x3ffb0010L, 0, 0x3ffb0040L);
        Backtrace bt = unwinder.unwind(registers(0x400d1234L, 0x400d5678L & 0x3fffffffL | 0x40000000L, 0x3ffb0020L), s.memory());
        assertThat(bt.frames().get(1).pc()).isEqualTo(0x400d5678L);
    }

    @Test
    void aReturnAddressWithoutWindowBitsStopsAndSaysWhy() {
        Backtrace bt = unwinder.unwind(registers(0x40081000L, 0x00082000L, 0x3ffb0020L), new Stack(0x3ffb0000L, 0x100).memory());
        assertThat(bt.frames()).hasSize(1);
        assertThat(bt.stopReason()).contains("no window increment");
    }

    @Test
    void aBaseSaveAreaOutsideTheDumpStopsAfterTheFrameItWouldHaveGiven() {
        Backtrace bt = unwinder.unwind(registers(0x40081000L, 0x80082000L, 0x3ffc0000L), new Stack(0x3ffb0000L, 0x100).memory());
        assertThat(bt.frames()).extracting(StackFrame::pc).containsExactly(0x40081000L, 0x40082000L);
        assertThat(bt.stopReason()).contains("base save area at 0x3ffbfff0 is not in the dump");
    }

    @Test
    void aReturnAddressOutsideCodeStops() {
        Backtrace bt = unwinder.unwind(registers(0x40081000L, 0xbffb0000L, 0x3ffb0020L), new Stack(0x3ffb0000L, 0x100).memory());
        assertThat(bt.stopReason()).isEqualTo("return address 0x7ffb0000 is not code");
    }

    @Test
    void aLoopInTheSaveAreasEndsAtTheFrameLimitOrWhenTheStackStopsGrowing() {
        Stack s = new Stack(0x3ffb0000L, 0x100).put(0x3ffb0010L, 0x80082000L, 0x3ffb0020L); // points at itself
        Backtrace bt = unwinder.unwind(registers(0x40081000L, 0x80082000L, 0x3ffb0020L), s.memory());
        assertThat(bt.frames()).hasSizeLessThanOrEqualTo(Backtrace.MAX_FRAMES);
        assertThat(bt.stopReason()).contains("is not above");
    }
}
