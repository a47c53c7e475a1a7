package heapscope.log;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts the boot output states about the target: the chip and the firmware's {@code ELF file SHA256}, which tells
 * whether an ELF given with --elf is the one that ran. The chip comes from the first of: the ROM banner
 * ({@code ESP-ROM:esp32s3-20210327}; the original ESP32's ROM prints {@code ets Jun  8 2016 00:22:57} instead), the
 * log tag of the bootloader's chip-specific lines ({@code I (31) boot.esp32: SPI Speed : 40MHz}), or esptool's
 * lines when the log holds the flashing too ({@code idf.py flash monitor}: {@code Chip is ESP32-S3 (QFN56)},
 * {@code Chip type: ESP32-C3 (QFN32)}, {@code Connected to ESP32-S3 on ..}, {@code Detecting chip type... ESP32}).
 * Where it came from is recorded with it; a later line naming another chip is a warning.
 */
final class BootBannerParser implements LineParser {
    private static final Pattern ROM = LinePattern.compile("^ESP-ROM:(esp32[a-z0-9]*)-");
    /** The ESP32's ROM banner; the ESP8266's says {@code ets Jan  8 2013}. */
    private static final Pattern ESP32_ROM = LinePattern.compile("^ets Jun\\s+8 2016\\b");
    private static final Pattern BOOT_TAG = LinePattern.compile("boot\\.esp32[a-z0-9]*");
    private static final Pattern ESPTOOL = LinePattern.compile(
            "^(?:Chip is|Chip type:|Connected to|Detecting chip type\\.\\.\\.)\\s*ESP32(?:-(S2|S3|C2|C3|C5|C6|C61|H2|H4|P4)\\b"
                    + "|(?=-(?:D0WD|D2WD|S0WD|U4WDH|PICO)|\\s|$))"); // the ESP32's packages: ESP32-D0WD-V3, ESP32-PICO-D4
    private static final Pattern SHA = LinePattern.compile("ELF file SHA256:\\s+([0-9a-fA-F]{8,64})");

    /** Chips already warned of, so that every line of another boot does not repeat it. */
    private final Set<String> warned = new HashSet<>();

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        String tag = line.tag();
        if (tag != null && tag.startsWith("boot.esp32") && BOOT_TAG.matcher(tag).matches()) {
            chip(sink, line, tag.substring("boot.".length()).toLowerCase(Locale.ROOT), "bootloader");
            return false; // an ordinary log line otherwise
        }
        if (t.startsWith("ESP-ROM:")) {
            Matcher m = ROM.matcher(t);
            if (m.find()) {
                chip(sink, line, m.group(1).toLowerCase(Locale.ROOT), "ROM banner");
            }
            return true;
        }
        if (t.startsWith("ets ")) {
            if (ESP32_ROM.matcher(t).find()) {
                chip(sink, line, "esp32", "ROM banner");
            }
            return false; // its date is no other parser's, but a crash closes at the next boot's ROM line
        }
        if (t.startsWith("Chip ") || t.startsWith("Connected to ESP32") || t.startsWith("Detecting chip type")) {
            Matcher m = ESPTOOL.matcher(t);
            if (m.find()) {
                chip(sink, line, "esp32" + (m.group(1) == null ? "" : m.group(1).toLowerCase(Locale.ROOT)), "esptool");
            }
            return false;
        }
        if (t.contains("ELF file SHA256:")) {
            Matcher m = SHA.matcher(t);
            if (m.find()) {
                sink.recording().putSystem("ELF_SHA256", m.group(1).toLowerCase(Locale.ROOT));
            }
            return true;
        }
        return false;
    }

    private void chip(LogSink sink, LogLine line, String chip, String source) {
        String used = sink.recording().setChip(chip, source + ", line " + line.number());
        if (used != null && warned.add(chip)) {
            sink.warn(line.number(), "the " + source + " names the chip " + chip + ", but " + used + " was named before ("
                    + sink.recording().chipSource() + "): " + used + " is used (give --chip to choose)");
        }
    }
}
