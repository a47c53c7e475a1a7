package heapscope.log;

/** Number parsing for figures printed by the device; the regexes bound their length, so nothing here can overflow. */
final class Num {
    private Num() {
    }

    /** {@code 0x3ffb1234} or {@code 3FFB1234} (with or without the prefix). */
    static long hex(String s) {
        int from = s.startsWith("0x") || s.startsWith("0X") ? 2 : 0;
        return Long.parseLong(s, from, s.length(), 16);
    }

    /** Decimal, or hex when written with {@code 0x}. */
    static long number(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? hex(s) : Long.parseLong(s);
    }

    /** A size with an optional unit ({@code bytes}, {@code B}, {@code KB}, {@code KiB}, {@code MB}); K and M count 1024. */
    static long bytes(String digits, String unit) {
        long n = Long.parseLong(digits);
        if (unit == null || unit.isEmpty()) {
            return n;
        }
        return switch (Character.toUpperCase(unit.charAt(0))) {
            case 'K' -> n * 1024;
            case 'M' -> n * 1024 * 1024;
            default -> n;
        };
    }
}
