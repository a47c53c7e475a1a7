package heapscope.report;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.trace.StackTable;

import java.util.List;

/**
 * Turns one caller address of a stack into the lines a report shows for it. Without an ELF this is the address
 * and, when the chip is known, the memory it lies in; with one, function and source lines (inline frames too).
 */
@FunctionalInterface
public interface FrameRenderer {
    /** Lines for a return address of a recorded call stack (the call is just before it). */
    List<String> lines(long address);

    /** Lines for a program counter of a crash backtrace (the instruction itself). */
    default List<String> pcLines(long pc) {
        return lines(pc);
    }

    /** Frames from the firmware's ELF when there is one, else raw addresses. */
    static FrameRenderer of(heapscope.symbols.Symbolizer symbolizer, Chip chip) {
        return symbolizer == null ? raw(chip) : new SymbolicFrames(symbolizer, chip);
    }

    /** The one frame of the stack that counts every call stack beyond the stack table's cap. */
    List<String> FULL_STACK = List.of("(stack table full: every call stack beyond the cap is counted here)");

    static FrameRenderer raw(Chip chip) {
        return address -> {
            if (address == StackTable.FULL_FRAME) {
                return FULL_STACK;
            }
            String hex = Units.hex(address);
            if (chip == null) {
                return List.of(hex);
            }
            // ROM code is not in the firmware's ELF: say so, as no symbol will ever name it
            return List.of(chip.codeRegion(address) == Region.ROM ? hex + " (ROM)" : hex);
        };
    }
}
