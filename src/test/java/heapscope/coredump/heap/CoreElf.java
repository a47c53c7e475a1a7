package heapscope.coredump.heap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/** Writes 32-bit little-endian core ELFs as ESP-IDF's core dump does: program headers only, notes and memory. */
final class CoreElf {
    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;
    private static final int EHDR = 52;
    private static final int PHDR = 32;

    private CoreElf() {
    }

    /** One program header and its bytes. */
    record Program(int type, long address, int flags, byte[] data) {
        static Program memory(long address, byte[] data) {
            return new Program(PT_LOAD, address, 6, data); // PF_R | PF_W
        }
    }

    /** The programs of a core ELF, in order. */
    static List<Program> programs(byte[] elf) {
        ByteBuffer b = le(elf);
        int phoff = b.getInt(28);
        int phnum = Short.toUnsignedInt(b.getShort(44));
        List<Program> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int p = phoff + PHDR * i;
            int offset = b.getInt(p + 4);
            out.add(new Program(b.getInt(p), Integer.toUnsignedLong(b.getInt(p + 8)), b.getInt(p + 24),
                    Arrays.copyOfRange(elf, offset, offset + b.getInt(p + 16))));
        }
        return out;
    }

    /** A core ELF for {@code machine} (243 RISC-V, 94 Xtensa) holding {@code programs}. */
    static byte[] write(int machine, List<Program> programs) {
        ByteBuffer h = le(new byte[EHDR]);
        h.put(0, new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1});
        h.putShort(16, (short) 4).putShort(18, (short) machine).putInt(20, 1).putInt(28, EHDR)
                .putShort(40, (short) EHDR).putShort(42, (short) PHDR).putShort(44, (short) programs.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        int offset = EHDR + PHDR * programs.size();
        for (Program p : programs) {
            ByteBuffer ph = le(new byte[PHDR]);
            ph.putInt(0, p.type()).putInt(4, offset).putInt(8, (int) p.address()).putInt(12, (int) p.address())
                    .putInt(16, p.data().length).putInt(20, p.data().length).putInt(24, p.flags()).putInt(28, 4);
            out.writeBytes(ph.array());
            offset += p.data().length;
        }
        for (Program p : programs) {
            out.writeBytes(p.data());
        }
        return out.toByteArray();
    }

    /** {@code elf} under an ESP-IDF dump header like {@code header} (its first word set to the new length), with a CRC32. */
    static byte[] withHeader(byte[] header, byte[] elf) {
        ByteBuffer h = le(header.clone());
        h.putInt(0, header.length + elf.length + 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(elf);
        CRC32 crc = new CRC32();
        crc.update(out.toByteArray());
        out.writeBytes(le(new byte[4]).putInt(0, (int) crc.getValue()).array());
        return out.toByteArray();
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
