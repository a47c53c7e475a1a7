package heapscope.sysview;

import heapscope.source.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text header OpenOCD writes before a SystemView stream: lines up to the second {@code ;} line. It tells the
 * layout: {@code ; ESP_Extension} (one stream, core in the event id) or {@code ; Offset CoreN n} (one stream per
 * core, concatenated). A raw stream without header starts directly with the sync bytes.
 *
 * @param length       bytes of header text; the first stream's sync starts here
 * @param coreOffsets  offsets of each core's stream relative to {@code length}; empty unless the V3.60 container
 */
record SvHeader(int length, String version, boolean espExtension, List<Long> coreOffsets, boolean truncated, boolean rawLink) {
    /**
     * The line heapscope capture adds to OpenOCD's header: the stream after it came raw over UART or USB-Serial-JTAG
     * (one CPU's scheduler events, heap events of every CPU with no core). Readers that do not know it skip it, as
     * ESP-IDF's does every line up to the second {@code ;} line.
     */
    static final String RAW_LINK = "; Link        UART or USB-Serial-JTAG (raw: one CPU's scheduler events, every CPU's heap events)";

    /** Headers are a few lines; anything longer is not one. */
    static final int MAX_LENGTH = 4096;
    private static final Pattern OFFSET = Pattern.compile("^; Offset Core(\\d{1,9}) (\\d+)$");
    private static final String PREFIX = ";\n; Version     SEGGER SystemView";

    static final SvHeader NONE = new SvHeader(0, "", false, List.of(), false, false);

    /** Reads the header from the start of {@code in}; the stream is left after the header. */
    static SvHeader read(InputStream in, String name) throws IOException {
        in.mark(MAX_LENGTH + 16);
        byte[] head = in.readNBytes(MAX_LENGTH);
        if (head.length == 0) {
            throw new InputException(name + ": empty input, not a SystemView trace");
        }
        if (head[0] != ';') {
            in.reset();
            return NONE;
        }
        int common = Math.min(head.length, PREFIX.length());
        if (!new String(head, 0, common, StandardCharsets.ISO_8859_1).equals(PREFIX.substring(0, common))) {
            throw new InputException(name + ": not a SystemView trace (unexpected text header at byte 0)");
        }
        String version = "";
        boolean esp = false;
        boolean raw = false;
        List<Long> offsets = new ArrayList<>();
        int semicolons = 0;
        int lineStart = 0;
        for (int i = 0; i < head.length; i++) {
            if (head[i] != '\n') {
                continue;
            }
            String line = new String(head, lineStart, i - lineStart, StandardCharsets.ISO_8859_1);
            lineStart = i + 1;
            if (line.equals(";")) {
                if (++semicolons == 2) {
                    in.reset();
                    in.skipNBytes(lineStart);
                    return new SvHeader(lineStart, version, esp, List.copyOf(offsets), false, raw);
                }
            } else if (line.startsWith("; Version")) {
                version = line.substring("; Version".length()).trim();
            } else if (line.equals("; ESP_Extension")) {
                esp = true;
            } else if (line.equals(RAW_LINK)) {
                raw = true;
            } else {
                Matcher m = OFFSET.matcher(line);
                if (m.matches()) {
                    int core = Integer.parseInt(m.group(1));
                    if (core != offsets.size() || core >= SvStream.MAX_CORES || m.group(2).length() > 15) {
                        throw new InputException(name + ": bad core offset table in header at byte " + (lineStart - line.length() - 1));
                    }
                    offsets.add(Long.parseLong(m.group(2)));
                }
            }
        }
        if (head.length < MAX_LENGTH) {
            // The data ended inside the header: a SystemView file cut short before its first event.
            return new SvHeader(head.length, version, esp, List.copyOf(offsets), true, raw);
        }
        throw new InputException(name + ": not a SystemView trace (no end of header in the first " + MAX_LENGTH + " bytes)");
    }
}
