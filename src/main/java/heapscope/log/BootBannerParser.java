package heapscope.log;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts the boot output states about the target: the chip (ROM banner {@code ESP-ROM:esp32s3-20210327}, which the
 * original ESP32's ROM does not print, or the log tag of the bootloader's chip-specific lines,
 * {@code I (31) boot.esp32: SPI Speed : 40MHz}) and the firmware's {@code ELF file SHA256}, which tells whether
 * an ELF given with --elf is the one that ran.
 */
final class BootBannerParser implements LineParser {
    private static final Pattern ROM = LinePattern.compile("^ESP-ROM:(esp32[a-z0-9]*)-");
    private static final Pattern BOOT_TAG = LinePattern.compile("boot\\.esp32[a-z0-9]*");
    private static final Pattern SHA = LinePattern.compile("ELF file SHA256:\\s+([0-9a-fA-F]{8,64})");

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
        String tag = line.tag();
        if (tag != null && tag.startsWith("boot.esp32") && BOOT_TAG.matcher(tag).matches()) {
            sink.recording().setChip(tag.substring("boot.".length()).toLowerCase(Locale.ROOT));
            return false; // an ordinary log line otherwise
        }
        if (t.startsWith("ESP-ROM:")) {
            Matcher m = ROM.matcher(t);
            if (m.find()) {
                sink.recording().setChip(m.group(1).toLowerCase(Locale.ROOT));
            }
            return true;
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
}
