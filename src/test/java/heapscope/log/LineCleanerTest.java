package heapscope.log;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LineCleanerTest {
    private static LogLine clean(String raw) {
        byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        return new LineCleaner().clean(1, b, 0, b.length);
    }

    /** idf.py monitor decodes the same addresses in every dump: only an address's first decoded line is passed on. */
    @Test
    void aDecodedAddressSeenBeforeIsDroppedWithItsInlineLines() {
        LineCleaner cleaner = new LineCleaner();
        List<String> log = List.of(
                "--- 0x42001234: wifi_start at /p/main/app.c:5",
                "--- (inlined by) app_main at /p/main/app.c:40",
                "I (100) app: started",
                "--- 0x42001234: wifi_start at /p/main/app.c:5",
                "--- (inlined by) app_main at /p/main/app.c:40",
                "--- 0x420012AB: other at /p/main/app.c:7",
                "--- (inlined by) app_main at /p/main/app.c:41");
        List<Boolean> passed = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            byte[] b = log.get(i).getBytes(StandardCharsets.UTF_8);
            passed.add(cleaner.clean(i + 1, b, 0, b.length) != null);
        }
        assertThat(passed).containsExactly(true, true, true, false, false, true, true);
    }

    @Test
    void marksDecorationsInEveryFormAndNotLookAlikes() {
        List<String> decorations = List.of(
                "--- 0x40376183: heap_caps_malloc at /idf/components/heap/heap_caps.c:84",
                "[10:00:00.907] --- 0x40376183: site_0 at /project/main/app.c:10\r",
                " (inlined by) caller_0 at /project/main/app.c:40",
                "0x4200112a: site_1 at /project/main/app.c:11",
                "\u001b[0;33m--- 0x40376183: heap_caps_malloc at heap_caps.c:84\u001b[0m", // idf.py monitor's colour
                "[10:00:00.907] \u001b[0;33m0x4200112a: site_1 at app.c:11\u001b[0m",
                "#0  0x4200112a in site_1 () at app.c:11",
                "[18:26:36.123456] --- 0x40376183: f at x.c:1", // host fraction the fast path does not read
                "--- (inlined by) app_main at main.c:40"); // esp-idf-monitor 1.x's continuation
        for (String line : decorations) {
            assertThat(clean(line).decoration()).as(line).isTrue();
        }
        assertThat(clean("\u001b[0;33m--- 0x40376183: heap_caps_malloc at heap_caps.c:84\u001b[0m").text())
                .isEqualTo("--- 0x40376183: heap_caps_malloc at heap_caps.c:84");
        List<String> kept = List.of(
                "--- 0",
                "0x4200112a:site",
                "0x4200112a: ",
                "(inlined",
                "    84 bytes (@ 0x3fc9a11c, Internal) allocated CPU 0 ccount 0x4fc9a11c caller 0x40376183:0x4200012a",
                "I (907) main: free heap 123456",
                "0xg200112a: not hex");
        for (String line : kept) {
            assertThat(clean(line).decoration()).as(line).isFalse();
        }
    }

    @Test
    void theTestOnRawBytesAgreesWithTheTestOnTheCleanedLine() {
        Random random = new Random(5);
        String[] pieces = {"--- 0x", "(inlined by)", "0x4200112a: ", "0x42001g2a: ", " ", "\t", "\r", "\u001b[0m", "I (5) t: ",
                "[", "[10:00:00.907] ", "x", "#1 0x", "#12\t0x", "# 0x", "#1x0x"};
        for (int round = 0; round < 50_000; round++) {
            StringBuilder line = new StringBuilder();
            for (int i = random.nextInt(5); i >= 0; i--) {
                line.append(pieces[random.nextInt(pieces.length)]);
            }
            line.append("f at a.c:1");
            // the full cleaning of the text, with no shortcut from the bytes, decides the same
            assertThat(clean(line.toString()).decoration()).as(line.toString())
                    .isEqualTo(new LineCleaner().clean(1, line.toString(), -1, false).decoration());
        }
    }
}
