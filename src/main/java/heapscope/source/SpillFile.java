package heapscope.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stream saved to a temporary file so that it can be read from several offsets at once (the later cores of a
 * multi-core container follow the whole first one). The file is created readable by its owner only, and it is
 * opened delete-on-close: on POSIX systems its name is removed at once, so that no exit path (close, exception,
 * Ctrl-C, kill) leaves a copy of the capture behind; elsewhere it goes when closed.
 */
public final class SpillFile implements Closeable {
    private static final int CHUNK = 1 << 16;

    private final FileChannel channel;

    private SpillFile(FileChannel channel) {
        this.channel = channel;
    }

    /** Copies {@code in} to its end into a new spill file in {@code dir}. */
    public static SpillFile copy(InputStream in, Path dir) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
        Path file = Files.createTempFile(dir, "heapscope-", ".svdat", ownerOnly);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        SpillFile spill = new SpillFile(channel);
        try {
            byte[] chunk = new byte[CHUNK];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
            return spill;
        } catch (IOException | RuntimeException e) {
            spill.close();
            throw e;
        }
    }

    /** Copies {@code in} into a new spill file in the temporary directory ({@code java.io.tmpdir}). */
    public static SpillFile copy(InputStream in) throws IOException {
        return copy(in, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public long size() throws IOException {
        return channel.size();
    }

    /** The bytes from {@code start} to the end; streams at different offsets may be read together. */
    public InputStream from(long start) {
        return new InputStream() {
            private long position = start;

            @Override
            public int read() throws IOException {
                return SingleByte.read(this);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = channel.read(ByteBuffer.wrap(b, off, len), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        };
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
