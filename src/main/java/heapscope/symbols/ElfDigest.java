package heapscope.symbols;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 of an ELF file, which ESP-IDF embeds in the app and prints at boot ({@code ELF file SHA256:}, often
 * shortened) and newer SystemView traces report: the way to tell whether an ELF is the firmware that ran.
 */
public final class ElfDigest {
    private ElfDigest() {
    }

    public static String sha256(Path elf) throws IOException {
        try (InputStream in = Files.newInputStream(elf)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** True when the capture's (possibly shortened) digest is a prefix of the file's. */
    public static boolean matches(String captured, String fileDigest) {
        String c = captured.trim().toLowerCase(Locale.ROOT);
        return !c.isEmpty() && fileDigest.startsWith(c);
    }
}
