package heapscope.log;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts the boot output states about the target: the chip (ROM banner {@code ESP-ROM:esp32s3-20210327}, or the
 * bootloader's {@code chip revision} lines) and the firmware's {@code ELF file SHA256}, which tells whether an
 * ELF given with --elf is the one that ran.
 */
final class BootBannerParser implements LineParser {
    private static final Pattern ROM = Pattern.compile("^ESP-ROM:(esp32[a-z0-9]*)-");
    private static final Pattern SHA = Pattern.compile("ELF file SHA256:\\s+([0-9a-fA-F]{8,64})");

    @Override
    public boolean accept(LogLine line, LogSink sink) {
        String t = line.text();
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
