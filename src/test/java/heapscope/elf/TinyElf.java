package heapscope.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes minimal ELF images for tests of the layouts the fixtures do not cover (ELF64, big endian):
 * a .text section, a note section, a symbol table, and the section name table.
 */
public final class TinyElf {
    /** @param local STB_LOCAL rather than STB_GLOBAL (an STT_FILE entry and the local symbols after it) */
    public record Symbol(String name, long value, long size, int type, boolean local) {
        public Symbol(String name, long value, long size, int type) {
            this(name, value, size, type, false);
        }
    }

    private TinyElf() {
    }

    public static ByteBuffer build(boolean elf64, ByteOrder order, int machine, long textAddress, int textSize,
                            byte[] notes, List<Symbol> symbols) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int headerSize = elf64 ? 64 : 52;
        // contents laid out after the header: text, notes, strtab, symtab, shstrtab, then section headers
        List<long[]> layout = new ArrayList<>(); // offset, size
        int off = headerSize;
        byte[] text = new byte[textSize];
        layout.add(new long[] {off, text.length});
        off += text.length;
        off = align(off, 4);
        layout.add(new long[] {off, notes.length});
        off += notes.length;
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        int[] nameOffsets = new int[symbols.size()];
        for (int i = 0; i < symbols.size(); i++) {
            nameOffsets[i] = strtab.size();
            strtab.writeBytes((symbols.get(i).name() + "\0").getBytes(StandardCharsets.UTF_8));
        }
        layout.add(new long[] {off, strtab.size()});
        off += strtab.size();
        off = align(off, 8);
        int symSize = elf64 ? 24 : 16;
        ByteBuffer symtab = ByteBuffer.allocate(symSize * (symbols.size() + 1)).order(order);
        symtab.position(symSize); // entry 0 is the null symbol
        for (int i = 0; i < symbols.size(); i++) {
            Symbol s = symbols.get(i);
            int info = (s.local() ? 0 : 1 << 4) | s.type();
            short section = (short) (s.type() == ElfSymbol.STT_FILE ? ElfSymbol.SHN_ABS : 1);
            if (elf64) {
                symtab.putInt(nameOffsets[i]).put((byte) info).put((byte) 0).putShort(section)
                        .putLong(s.value()).putLong(s.size());
            } else {
                symtab.putInt(nameOffsets[i]).putInt((int) s.value()).putInt((int) s.size()).put((byte) info)
                        .put((byte) 0).putShort(section);
            }
        }
        layout.add(new long[] {off, symtab.capacity()});
        off += symtab.capacity();
        String names = "\0.text\0.note.test\0.strtab\0.symtab\0.shstrtab\0";
        byte[] shstr = names.getBytes(StandardCharsets.UTF_8);
        layout.add(new long[] {off, shstr.length});
        off += shstr.length;
        off = align(off, 8);
        int shoff = off;
        int shentsize = elf64 ? 64 : 40;
        int shnum = 6;
        ByteBuffer out = ByteBuffer.allocate(shoff + shentsize * shnum).order(order);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (elf64 ? 2 : 1), (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1});
        out.position(16);
        out.putShort((short) 2).putShort((short) machine).putInt(1);
        if (elf64) {
            out.putLong(textAddress).putLong(0).putLong(shoff).putInt(0).putShort((short) 64).putShort((short) 56)
                    .putShort((short) 0).putShort((short) shentsize).putShort((short) shnum).putShort((short) 5);
        } else {
            out.putInt((int) textAddress).putInt(0).putInt(shoff).putInt(0).putShort((short) 52).putShort((short) 32)
                    .putShort((short) 0).putShort((short) shentsize).putShort((short) shnum).putShort((short) 5);
        }
        out.put((int) layout.get(0)[0], text);
        out.put((int) layout.get(1)[0], notes);
        out.put((int) layout.get(2)[0], strtab.toByteArray());
        out.put((int) layout.get(3)[0], symtab.array());
        out.put((int) layout.get(4)[0], shstr);
        // name offset, type, flags, addr, index into layout, link, info, entsize
        long[][] headers = {
            {names.indexOf(".text"), 1, 6, textAddress, 0, 0, 0, 0},
            {names.indexOf(".note.test"), 7, 0, 0, 1, 0, 0, 0},
            {names.indexOf(".strtab"), 3, 0, 0, 2, 0, 0, 0},
            {names.indexOf(".symtab"), 2, 0, 0, 3, 3, 1, symSize},
            {names.indexOf(".shstrtab"), 3, 0, 0, 4, 0, 0, 0},
        };
        for (int i = 0; i < headers.length; i++) {
            long[] h = headers[i];
            long[] place = layout.get((int) h[4]);
            out.position(shoff + shentsize * (i + 1));
            out.putInt((int) h[0]).putInt((int) h[1]);
            if (elf64) {
                out.putLong(h[2]).putLong(h[3]).putLong(place[0]).putLong(place[1]).putInt((int) h[5])
                        .putInt((int) h[6]).putLong(1).putLong(h[7]);
            } else {
                out.putInt((int) h[2]).putInt((int) h[3]).putInt((int) place[0]).putInt((int) place[1])
                        .putInt((int) h[5]).putInt((int) h[6]).putInt(1).putInt((int) h[7]);
            }
        }
        body.writeBytes(out.array());
        return ByteBuffer.wrap(body.toByteArray());
    }

    /** One note record, padded as the ELF spec says. */
    static byte[] note(ByteOrder order, String name, int type, byte[] desc) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + align(n.length, 4) + align(desc.length, 4)).order(order);
        b.putInt(n.length).putInt(desc.length).putInt(type).put(n);
        b.position(12 + align(n.length, 4));
        b.put(desc);
        return b.array();
    }

    private static int align(int v, int a) {
        return (v + a - 1) / a * a;
    }
}
