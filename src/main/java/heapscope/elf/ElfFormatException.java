package heapscope.elf;

import java.nio.file.Path;

/**
 * Malformed ELF or DWARF input. Carries the file and the absolute byte offset in it where decoding
 * failed, so a user can look at the exact bytes.
 */
public final class ElfFormatException extends RuntimeException {
    private final transient Path file;
    private final long offset;
    private final String detail;

    public ElfFormatException(Path file, long offset, String message) {
        super(file + ": byte offset " + offset + " (0x" + Long.toHexString(offset) + "): " + message);
        this.file = file;
        this.offset = offset;
        this.detail = message;
    }

    /** What was wrong, without the file and offset. */
    public String detail() {
        return detail;
    }

    public Path file() {
        return file;
    }

    /** Absolute byte offset in {@link #file()}. */
    public long offset() {
        return offset;
    }
}
