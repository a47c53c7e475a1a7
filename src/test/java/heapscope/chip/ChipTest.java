package heapscope.chip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Spot checks of the memory maps against ESP-IDF's soc.h of each chip. */
class ChipTest {
    @Test
    void regionsFollowTheSocHeaders() {
        assertThat(Chip.ESP32.heapRegion(0x3FFB68A0L)).isEqualTo(Region.DRAM);
        assertThat(Chip.ESP32.heapRegion(0x3F800000L)).isEqualTo(Region.PSRAM);
        assertThat(Chip.ESP32.codeRegion(0x400D3CAFL)).isEqualTo(Region.FLASH_CODE);
        assertThat(Chip.ESP32.codeRegion(0x40081EFFL)).isEqualTo(Region.IRAM);
        assertThat(Chip.ESP32.codeRegion(0x4000C2E0L)).isEqualTo(Region.ROM);
        // S3: PSRAM and flash rodata share 0x3C000000-0x3E000000; a heap block there is PSRAM, a pointer is rodata
        assertThat(Chip.ESP32S3.heapRegion(0x3C100000L)).isEqualTo(Region.PSRAM);
        assertThat(Chip.ESP32S3.codeRegion(0x3C100000L)).isEqualTo(Region.FLASH_DATA);
        assertThat(Chip.ESP32S3.heapRegion(0x600FE100L)).isEqualTo(Region.RTC);
        assertThat(Chip.ESP32C3.heapRegion(0x3FC90000L)).isEqualTo(Region.DRAM);
        assertThat(Chip.ESP32C3.heapRegion(0x3C000000L)).isEqualTo(Region.UNKNOWN); // no PSRAM on C3
        assertThat(Chip.ESP32C6.heapRegion(0x4087FFFFL)).isEqualTo(Region.DRAM);
        assertThat(Chip.ESP32C6.heapRegion(0x40880000L)).isEqualTo(Region.UNKNOWN);
        assertThat(Chip.ESP32P4.heapRegion(0x8FF00010L)).isEqualTo(Region.DRAM); // non-cacheable alias
        assertThat(Chip.ESP32P4.heapRegion(0x48000010L)).isEqualTo(Region.PSRAM);
        assertThat(Chip.ESP32H2.codeRegion(0x42000100L)).isEqualTo(Region.FLASH_CODE);
        assertThat(Chip.ESP32C2.heapRegion(0x3FCA0000L)).isEqualTo(Region.DRAM);
        assertThat(Chip.ESP32S2.heapRegion(0x3F500000L)).isEqualTo(Region.PSRAM);
    }

    @Test
    void parsesTheSpellingsUsersType() {
        assertThat(Chip.parse("esp32s3")).contains(Chip.ESP32S3);
        assertThat(Chip.parse("ESP32-S3")).contains(Chip.ESP32S3);
        assertThat(Chip.parse("esp32_c6")).contains(Chip.ESP32C6);
        assertThat(Chip.parse("esp8266")).isEmpty();
        assertThat(Chip.parse(null)).isEmpty();
    }
}
