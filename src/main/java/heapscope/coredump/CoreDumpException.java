package heapscope.coredump;

import java.nio.file.Path;

/** A core dump that cannot be decoded at all; the message is one line naming the file and the byte offset. */
public final class CoreDumpException extends RuntimeException {
    private final long offset;

    public CoreDumpException(Path file, long offset, String message) {
        super(file + ": byte offset " + offset + " (0x" + Long.toHexString(offset) + "): " + message);
        this.offset = offset;
    }

    /** Where in the decoded dump (not the text it was found in) decoding failed. */
    public long offset() {
        return offset;
    }
}
