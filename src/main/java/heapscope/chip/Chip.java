package heapscope.chip;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Address maps of the ESP32 family, from ESP-IDF's {@code components/soc/<chip>/include/soc/soc.h} (v5.2+).
 * Ranges are half-open; the order of each list is the classification order (first match wins).
 */
public enum Chip {
    ESP32(2, List.of(
            r(0x40000000L, 0x40070000L, Region.ROM),
            r(0x3FFAE000L, 0x40000000L, Region.DRAM),
            r(0x40070000L, 0x400C0000L, Region.IRAM), // includes the D/IRAM alias 0x400A0000-
            r(0x3FF80000L, 0x3FF82000L, Region.RTC),
            r(0x400C0000L, 0x400C2000L, Region.RTC),
            r(0x50000000L, 0x50002000L, Region.RTC),
            r(0x3F800000L, 0x3FC00000L, Region.PSRAM),
            r(0x3F400000L, 0x3F800000L, Region.FLASH_DATA),
            r(0x400D0000L, 0x40400000L, Region.FLASH_CODE))),
    ESP32S2(1, List.of(
            r(0x40000000L, 0x40020000L, Region.ROM),
            r(0x3FFB0000L, 0x40000000L, Region.DRAM),
            r(0x40020000L, 0x40070000L, Region.IRAM),
            r(0x3FF9E000L, 0x3FFA0000L, Region.RTC),
            r(0x40070000L, 0x40072000L, Region.RTC),
            r(0x50000000L, 0x50002000L, Region.RTC),
            r(0x3F500000L, 0x3FF80000L, Region.PSRAM), // shares the window with flash rodata
            r(0x3F000000L, 0x3FF80000L, Region.FLASH_DATA),
            r(0x40080000L, 0x40800000L, Region.FLASH_CODE))),
    ESP32S3(2, List.of(
            r(0x40000000L, 0x40060000L, Region.ROM),
            r(0x3FC88000L, 0x3FD00000L, Region.DRAM),
            r(0x40370000L, 0x403E0000L, Region.IRAM),
            r(0x600FE000L, 0x60100000L, Region.RTC),
            r(0x50000000L, 0x50002000L, Region.RTC),
            r(0x3C000000L, 0x3E000000L, Region.PSRAM), // shares the window with flash rodata
            r(0x3C000000L, 0x3E000000L, Region.FLASH_DATA),
            r(0x42000000L, 0x44000000L, Region.FLASH_CODE))),
    ESP32C2(1, List.of(
            r(0x40000000L, 0x40090000L, Region.ROM),
            r(0x3FF00000L, 0x3FF50000L, Region.ROM),
            r(0x3FCA0000L, 0x3FCE0000L, Region.DRAM),
            r(0x4037C000L, 0x403C0000L, Region.IRAM),
            r(0x3C000000L, 0x3C400000L, Region.FLASH_DATA),
            r(0x42000000L, 0x42400000L, Region.FLASH_CODE))),
    ESP32C3(1, List.of(
            r(0x40000000L, 0x40060000L, Region.ROM),
            r(0x3FF00000L, 0x3FF20000L, Region.ROM),
            r(0x3FC80000L, 0x3FCE0000L, Region.DRAM),
            r(0x4037C000L, 0x403E0000L, Region.IRAM),
            r(0x50000000L, 0x50002000L, Region.RTC),
            r(0x3C000000L, 0x3C800000L, Region.FLASH_DATA),
            r(0x42000000L, 0x42800000L, Region.FLASH_CODE))),
    ESP32C6(1, List.of(
            r(0x40000000L, 0x40050000L, Region.ROM),
            r(0x40800000L, 0x40880000L, Region.DRAM), // unified HP SRAM, data and code
            r(0x50000000L, 0x50004000L, Region.RTC),
            r(0x42000000L, 0x43000000L, Region.FLASH_CODE))), // one window for code and rodata
    ESP32H2(1, List.of(
            r(0x40000000L, 0x40020000L, Region.ROM),
            r(0x40800000L, 0x40850000L, Region.DRAM),
            r(0x50000000L, 0x50001000L, Region.RTC),
            r(0x42000000L, 0x43000000L, Region.FLASH_CODE))),
    ESP32P4(2, List.of(
            r(0x4FC00000L, 0x4FC20000L, Region.ROM),
            r(0x50100000L, 0x50104000L, Region.ROM),
            r(0x4FF00000L, 0x4FFC0000L, Region.DRAM), // HP L2MEM
            r(0x8FF00000L, 0x8FFC0000L, Region.DRAM), // its non-cacheable alias
            r(0x30100000L, 0x30102000L, Region.TCM),
            r(0x50108000L, 0x50110000L, Region.RTC),
            r(0x48000000L, 0x4C000000L, Region.PSRAM),
            r(0x88000000L, 0x8C000000L, Region.PSRAM),
            r(0x40000000L, 0x44000000L, Region.FLASH_CODE),
            r(0x80000000L, 0x84000000L, Region.FLASH_CODE)));

    private record Range(long low, long high, Region region) {
        boolean contains(long address) {
            return address >= low && address < high;
        }
    }

    private final int cores;
    private final List<Range> ranges;

    Chip(int cores, List<Range> ranges) {
        this.cores = cores;
        this.ranges = ranges;
    }

    /**
     * CPU cores that run application code and trace (the LP core of the C6 and P4 does not): a two-core chip's
     * SystemView capture has a stream per core, unless its firmware is built single-core
     * ({@code CONFIG_FREERTOS_UNICORE}).
     */
    public int cores() {
        return cores;
    }

    private static Range r(long low, long high, Region region) {
        return new Range(low, high, region);
    }

    /** The first three parts have Xtensa cores; the later ones RISC-V. */
    public boolean xtensa() {
        return this == ESP32 || this == ESP32S2 || this == ESP32S3;
    }

    /** ESP-IDF's spelling: {@code esp32s3}. */
    public String idfName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code esp32s3}, {@code ESP32-S3}, {@code esp32_s3}. */
    public static Optional<Chip> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (Chip chip : values()) {
            if (chip.name().equals(key)) {
                return Optional.of(chip);
            }
        }
        return Optional.empty();
    }

    /**
     * Region of a heap block address. Where PSRAM and flash rodata share a window (S2, S3) a heap pointer is
     * PSRAM: the heap never hands out flash.
     */
    public Region heapRegion(long address) {
        for (Range range : ranges) {
            if (range.contains(address) && range.region != Region.FLASH_DATA) {
                return range.region;
            }
        }
        return Region.UNKNOWN;
    }

    /** Region of a code or data pointer (caller, PC): in a shared window it is flash, not PSRAM. */
    public Region codeRegion(long address) {
        for (Range range : ranges) {
            if (range.contains(address) && range.region != Region.PSRAM) {
                return range.region;
            }
        }
        return Region.UNKNOWN;
    }
}
