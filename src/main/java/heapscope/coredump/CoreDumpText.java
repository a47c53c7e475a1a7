package heapscope.coredump;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the bytes of a core dump in what a user has: the raw bytes (a coredump partition read with
 * {@code esptool read_flash}, or a core ELF), a base64 file, or the base64 block ESP-IDF prints to the console
 * between {@code CORE DUMP START} and {@code CORE DUMP END} inside any serial log. Lines of the block may carry
 * what terminals and pastes add in front (timestamps, {@code > }, colours): the base64 is the last word of a line.
 */
public final class CoreDumpText {
    /** The line ESP-IDF prints before the base64 block, and the one after it. */
    public static final Pattern START = Pattern.compile("CORE DUMP START", Pattern.UNIX_LINES);
    public static final Pattern END = Pattern.compile("CORE DUMP END", Pattern.UNIX_LINES);
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*[A-Za-z]");
    private static final Pattern BASE64_WORD = Pattern.compile("([A-Za-z0-9+/]+={0,2})\\s*$");

    private CoreDumpText() {
    }

    /**
     * One dump found in a text: its bytes and the line its block starts at (1-based; 0 for a whole-file dump).
     *
     * @param warnings lines of the block that are not base64, one line each naming the line number
     */
    public record Found(byte[] bytes, int line, List<String> warnings) {
    }

    /** The dump in {@code content}: raw bytes as they are, else the first base64 block, else the whole file as base64. */
    public static Found find(Path file, byte[] content) {
        return all(file, content).get(0);
    }

    /**
     * Every dump in {@code content}, in order: raw bytes as they are, else each base64 block (a log of repeated
     * crashes holds several), else the whole file as base64; never empty.
     */
    public static List<Found> all(Path file, byte[] content) {
        if (looksBinary(content)) {
            return List.of(new Found(content, 0, List.of()));
        }
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<Found> blocks = blocks(text);
        if (!blocks.isEmpty()) {
            return blocks;
        }
        Found whole = decodeLines(text.split("\r?\n", -1), 0, 0);
        if (whole.bytes().length == 0) {
            throw new CoreDumpException(file, 0, "no core dump: neither raw dump bytes, base64, nor a CORE DUMP START block");
        }
        return List.of(whole);
    }

    /** A block's lines as a log parser collected them; {@code firstLine} numbers the first of them in warnings. */
    public static Found decode(List<String> lines, long firstLine) {
        Found f = decodeLines(lines.toArray(String[]::new), 0, 0);
        List<String> renumbered = new ArrayList<>();
        for (String w : f.warnings()) { // "line N: ..." counts from 1 within the block
            int colon = w.indexOf(':');
            long n = Long.parseLong(w.substring(5, colon));
            renumbered.add("line " + (firstLine + n - 1) + w.substring(colon));
        }
        return new Found(f.bytes(), (int) firstLine, List.copyOf(renumbered));
    }

    /** Every base64 block between CORE DUMP START and CORE DUMP END in {@code text}, in order. */
    public static List<Found> blocks(String text) {
        String[] lines = text.split("\r?\n", -1);
        List<Found> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (START.matcher(lines[i]).find()) {
                int j = i + 1;
                while (j < lines.length && !END.matcher(lines[j]).find() && !START.matcher(lines[j]).find()) {
                    j++;
                }
                out.add(decodeLines(lines, i + 1, j));
                i = j < lines.length && END.matcher(lines[j]).find() ? j : j - 1;
            }
        }
        return out;
    }

    /** Decodes lines [from, to) (or all when to is 0): each line's last word is one whole base64 unit, as printed. */
    private static Found decodeLines(String[] lines, int from, int to) {
        int end = to == 0 ? lines.length : to;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> warnings = new ArrayList<>();
        for (int i = from; i < end; i++) {
            String line = ANSI.matcher(lines[i]).replaceAll("").strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = BASE64_WORD.matcher(line);
            byte[] decoded = null;
            if (m.find() && m.group(1).length() % 4 == 0) {
                try {
                    decoded = Base64.getDecoder().decode(m.group(1));
                } catch (IllegalArgumentException e) {
                    decoded = null;
                }
            }
            if (decoded == null) {
                warnings.add("line " + (i + 1) + ": not base64, skipped (the dump has a gap after byte " + out.size() + ")");
                continue;
            }
            out.writeBytes(decoded);
        }
        return new Found(out.toByteArray(), to == 0 ? 0 : from, List.copyOf(warnings));
    }

    /** Raw dumps start with a length word, whose high bytes are zero, or with an ELF header; text holds no NUL. */
    private static boolean looksBinary(byte[] c) {
        for (int i = 0; i < Math.min(c.length, 64); i++) {
            if (c[i] == 0) {
                return true;
            }
        }
        return looksLikeHeader(c);
    }

    private static boolean looksLikeHeader(byte[] c) {
        if (c.length >= 4 && c[0] == 0x7f && c[1] == 'E' && c[2] == 'L' && c[3] == 'F') {
            return true;
        }
        if (c.length < 8) {
            return false;
        }
        int version = (c[4] & 0xff) | (c[5] & 0xff) << 8;
        boolean known = version >= 1 && version <= 3 || version >= 0x100 && version <= 0x103;
        return known && c[3] == 0 && c[2] < 0x10; // a dump is far below 1 MiB
    }
}
