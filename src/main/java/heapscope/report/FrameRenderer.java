package heapscope.report;

import heapscope.chip.Chip;
import heapscope.chip.Region;

import java.util.List;

/**
 * Turns one caller address of a stack into the lines a report shows for it. Without an ELF this is the address
 * and, when the chip is known, the memory it lies in; with one, function and source lines (inline frames too).
 */
@FunctionalInterface
public interface FrameRenderer {
    List<String> lines(long address);

    static FrameRenderer raw(Chip chip) {
        return address -> {
            String hex = Units.hex(address);
            if (chip == null) {
                return List.of(hex);
            }
            Region region = chip.codeRegion(address);
            return List.of(region == Region.FLASH_CODE || region == Region.IRAM ? hex : hex + " (" + region.label() + ")");
        };
    }
}
