package heapscope.report;

import heapscope.chip.Chip;
import heapscope.chip.Region;
import heapscope.symbols.FrameTable;
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

    /** The one frame of the stack that counts every call stack beyond the stack table's cap. */
    List<String> FULL_STACK = List.of("(stack table full: every call stack beyond the cap is counted here)");

    /** The one frame of the stack the smallest leak groups beyond the report's cap are counted under. */
    List<String> OTHER_STACK = List.of("(other call stacks: the smallest leak groups beyond the cap, counted together)");

    /** The lines of the two frames that stand for many stacks, or null for a recorded address. */
    static List<String> special(long address) {
        return address == StackTable.FULL_FRAME ? FULL_STACK : address == StackTable.OTHER_FRAME ? OTHER_STACK : null;
    }

    /** Where the names of the frames come from. */
    default FrameTable.Names names() {
        return FrameTable.Names.NONE;
    }

    /** Frames named by the table (the firmware's ELF, else the log's decoded lines), else raw addresses. */
    static FrameRenderer of(FrameTable table) {
        return table.names() == FrameTable.Names.NONE ? raw(table) : new SymbolicFrames(table, raw(table));
    }

    /** Raw addresses, marked when in ROM, with no table of the capture at hand. */
    static FrameRenderer raw(Chip chip) {
        return raw(FrameTable.of(null, chip));
    }

    private static FrameRenderer raw(FrameTable table) {
        return new FrameRenderer() {
            @Override
            public List<String> lines(long address) {
                List<String> special = special(address);
                if (special != null) {
                    return special;
                }
                return line(address, table.caller(address).region());
            }

            @Override
            public List<String> pcLines(long pc) {
                return line(pc, table.pc(pc).region());
            }
        };
    }

    private static List<String> line(long address, Region region) {
        // ROM code is not in the firmware's ELF: say so, as no symbol will ever name it
        String hex = Units.hex(address);
        return List.of(region == Region.ROM ? hex + " (ROM)" : hex);
    }
}
