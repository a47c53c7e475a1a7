package heapscope.log;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw serial-log lines into {@link LogLine}s: strips ANSI colour sequences and carriage returns, the
 * prefixes host terminals add ({@code [18:26:36]}, ESPHome's {@code [D][tag:000]: }, arduino-esp32's
 * {@code [  1332][V][file.cpp:400] func(): }), and splits off ESP-IDF's log prefix (Log V1 and V2 with a
 * timestamp). See docs/formats.md sections 3.1 and 3.7.
 */
final class LineCleaner {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");
    private static final Pattern HOST_TIME = Pattern.compile("^\\[(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?\\] ?");
    private static final Pattern ESPHOME = Pattern.compile("^\\[[CDEIVW]\\]\\[[^\\]]{1,64}\\]: ");
    private static final Pattern ARDUINO = Pattern.compile("^\\[\\s*(\\d+)\\]\\[([EWIDV])\\]\\[[^\\]]{1,128}\\] [^\\s(]{0,128}\\(\\): ");
    /** ESP-IDF Log V1/V2 with a timestamp: ms since boot, HH:MM:SS.mmm, YY-MM-DD HH:MM:SS.mmm. */
    private static final Pattern ESP = Pattern.compile(
            "^([EWIDV]) \\((\\d{1,16}|\\d{2}:\\d{2}:\\d{2}\\.\\d{3}|\\d{2,3}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\) (?:([^:\\s][^:]{0,63}?): )?");

    LogLine clean(long number, String raw) {
        String s = raw;
        if (s.indexOf('\r') >= 0) {
            s = s.replace("\r", "");
        }
        if (s.indexOf('\u001b') >= 0) {
            s = ANSI.matcher(s).replaceAll("");
        }
        long timeMs = -1;
        char level = 0;
        String tag = null;
        if (!s.isEmpty() && s.charAt(0) == '[') {
            Matcher m = HOST_TIME.matcher(s);
            if (m.find()) {
                timeMs = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
                        + (m.group(4) == null ? 0 : Long.parseLong((m.group(4) + "000").substring(0, 3)));
                s = s.substring(m.end());
            }
            Matcher a = ARDUINO.matcher(s);
            if (a.find()) {
                timeMs = Long.parseLong(a.group(1));
                level = a.group(2).charAt(0);
                s = s.substring(a.end());
            } else {
                Matcher e = ESPHOME.matcher(s);
                if (e.find()) {
                    s = s.substring(e.end());
                }
            }
        }
        if (s.length() > 4 && s.charAt(1) == ' ' && s.charAt(2) == '(' && "EWIDV".indexOf(s.charAt(0)) >= 0) {
            Matcher m = ESP.matcher(s);
            if (m.find()) {
                level = s.charAt(0);
                timeMs = parseTime(m.group(2));
                tag = m.group(3);
                s = s.substring(m.end());
            }
        }
        return new LogLine(number, s, level, timeMs, tag);
    }

    private static long parseTime(String t) {
        if (t.indexOf(':') < 0) {
            return t.length() > 15 ? -1 : Long.parseLong(t);
        }
        String clock = t.substring(t.length() - 12); // HH:MM:SS.mmm; a date before it is not needed for order within a day
        return ((Long.parseLong(clock.substring(0, 2)) * 60 + Long.parseLong(clock.substring(3, 5))) * 60
                + Long.parseLong(clock.substring(6, 8))) * 1000 + Long.parseLong(clock.substring(9, 12));
    }

    /** Lines idf.py monitor and other decoders insert after a line with addresses; they carry no device data. */
    static boolean decoration(String text) {
        String t = text.stripLeading();
        if (t.startsWith("--- 0x") || t.startsWith("(inlined by)") || t.startsWith("#")) {
            return t.startsWith("--- 0x") || t.startsWith("(inlined by)") || t.matches("#\\d+\\s+0x.*");
        }
        // "0x40376183: heap_caps_malloc at /path/heap_caps.c:84" (older monitors print these without '--- ')
        return t.length() > 12 && t.startsWith("0x") && t.charAt(10) == ':' && t.charAt(11) == ' ' && isHex(t, 2, 10);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
