package heapscope.report;

import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.trace.Event;

import java.io.IOException;

import java.util.Locale;

/** Number formats for people. */
public final class Units {
    private Units() {
    }

    /** {@code 812 B}, {@code 17.3 KiB}, {@code 4.00 MiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    /** A core as reports print it: its number, or {@code ?} where the capture does not say ({@link Event#UNKNOWN_CORE}). */
    public static String core(int core) {
        return core == Event.UNKNOWN_CORE ? "?" : Integer.toString(core);
    }

    /** A core in JSON: its number, or null where the capture does not say. */
    public static void core(JsonGenerator g, String field, int core) throws IOException {
        if (core == Event.UNKNOWN_CORE) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, core);
        }
    }

    /** Seconds with ESP-IDF's nine decimals: {@code 0.001637325}. */
    public static String seconds9(long ns) {
        return String.format(Locale.ROOT, "%d.%09d", ns / 1_000_000_000L, ns % 1_000_000_000L);
    }

    /** Short seconds for tables: {@code 0.246 s}, {@code 12.5 s}, {@code 3 m 02 s}. */
    public static String seconds(long ns) {
        double s = ns / 1e9;
        if (s < 100) {
            return String.format(Locale.ROOT, s < 10 ? "%.3f s" : "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole < 3600 ? String.format(Locale.ROOT, "%d m %02d s", whole / 60, whole % 60)
                : String.format(Locale.ROOT, "%d h %02d m", whole / 3600, whole / 60 % 60);
    }

    public static String hex(long address) {
        return String.format("0x%08x", address);
    }

    /** "1 block", "2 blocks": a count of heap blocks in words. */
    public static String blocks(long n) {
        return count(n) + (n == 1 ? " block" : " blocks");
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
