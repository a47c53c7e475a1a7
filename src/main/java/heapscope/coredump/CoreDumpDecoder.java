package heapscope.coredump;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Decodes the bytes of an ESP-IDF core dump (as written to the coredump partition or printed in base64): the header
 * (total length, version with chip id, task count, TCB size, segment count, chip revision), the body in the ELF
 * format (a core ELF whose notes hold each task's registers and the crash details) or the legacy binary format
 * (task headers, TCBs and stacks), and the trailing CRC32 or SHA-256.
 *
 * <p>Damage is kept local: a bad checksum, a note or segment that does not fit, a length beyond the data each become
 * a warning and the rest is still decoded. Only a header that names no known format is an error. The core ELF is
 * read here rather than with {@code elf.ElfFile} for that reason: one bad program header must not lose the others.
 */
public final class CoreDumpDecoder {
    private static final int ELF_MAGIC = 0x464c457f;
    private static final int NT_PRSTATUS = 1;
    private static final int NT_TASK_INFO = 678;
    private static final int NT_EXTRA_INFO = 677;
    private static final int NT_PANIC_DETAILS = 679;
    private static final int NT_ESP_INFO = 8266;
    private static final int PRSTATUS_REGS = 72;
    private static final int PRSTATUS_PID = 24;
    /** Xtensa's prstatus register set: pc, ps, lbeg, lend, lcount, sar first, a0.. from index 64. */
    private static final int XTENSA_AR = 64;
    /** More tasks or segments than any ESP32 can hold: a header claiming them is damaged. */
    private static final int MAX_COUNT = 4096;

    private final Path file;
    private final byte[] b;
    private final List<String> warnings = new ArrayList<>();

    private CoreDumpDecoder(Path file, byte[] bytes) {
        this.file = file;
        this.b = bytes;
    }

    /** Decodes {@code bytes}; {@code file} names the input in messages. */
    public static CoreDump decode(Path file, byte[] bytes) {
        return new CoreDumpDecoder(file, bytes).decode();
    }

    private enum Format {
        BIN_V1(0x0001, 16, 4, false), BIN_V2(0x0002, 20, 4, false), BIN_V2_1(0x0003, 24, 4, false),
        ELF_CRC32_V2(0x0100, 20, 4, true), ELF_SHA256_V2(0x0101, 20, 32, true),
        ELF_CRC32_V2_1(0x0102, 24, 4, true), ELF_SHA256_V2_1(0x0103, 24, 32, true);

        final int version;
        final int headerSize;
        final int checksumSize;
        final boolean elf;

        Format(int version, int headerSize, int checksumSize, boolean elf) {
            this.version = version;
            this.headerSize = headerSize;
            this.checksumSize = checksumSize;
            this.elf = elf;
        }

        static Format of(int version) {
            for (Format f : values()) {
                if (f.version == version) {
                    return f;
                }
            }
            return null;
        }
    }

    private CoreDump decode() {
        if (b.length >= 4 && (int) u32(0) == ELF_MAGIC) { // a core ELF saved without the dump header
            Builder out = new Builder(-1, 0, true);
            readElf(out, 0, b.length);
            return out.build(warnings);
        }
        if (b.length < 16) {
            throw new CoreDumpException(file, 0, "too short for a core dump header (" + b.length + " bytes)");
        }
        long totalLength = u32(0);
        long versionWord = u32(4);
        Format format = Format.of((int) (versionWord & 0xffff));
        if (format == null) {
            throw new CoreDumpException(file, 4, String.format("unknown core dump version 0x%04x (not an ESP-IDF core dump?)",
                    versionWord & 0xffff));
        }
        int chip = (int) (versionWord >>> 16);
        if (b.length < format.headerSize) {
            throw new CoreDumpException(file, 0, "too short for a version 0x" + Integer.toHexString(format.version) + " header");
        }
        int end = b.length;
        boolean complete = true;
        if (totalLength < format.headerSize + format.checksumSize) {
            warnings.add(String.format("byte offset 0: header says the dump is %d bytes, less than its header: decoding all %d bytes",
                    totalLength, b.length));
            complete = false;
        } else if (totalLength > b.length) {
            warnings.add(String.format("byte offset 0: header says the dump is %d bytes, only %d are here: truncated, checksum not checked",
                    totalLength, b.length));
            complete = false;
        } else {
            end = (int) totalLength;
        }
        int bodyEnd = complete ? end - format.checksumSize : end;
        if (complete) {
            checkChecksum(format, bodyEnd);
        }
        Builder out = new Builder(chip, format.version, format.elf);
        if (format.elf) {
            readElf(out, format.headerSize, bodyEnd);
        } else {
            readBinary(out, format, bodyEnd);
        }
        return out.build(warnings);
    }

    private void checkChecksum(Format format, int bodyEnd) {
        if (format.checksumSize == 4) {
            CRC32 crc = new CRC32();
            crc.update(b, 0, bodyEnd);
            long want = u32(bodyEnd);
            if (crc.getValue() != want) {
                warnings.add(String.format("byte offset %d: CRC32 is 0x%08x, the data gives 0x%08x: the dump is damaged; decoded anyway",
                        bodyEnd, want, crc.getValue()));
            }
            return;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(b, 0, bodyEnd);
            byte[] got = sha.digest();
            byte[] want = new byte[32];
            System.arraycopy(b, bodyEnd, want, 0, 32);
            if (!MessageDigest.isEqual(got, want)) {
                warnings.add(String.format("byte offset %d: SHA-256 is %s, the data gives %s: the dump is damaged; decoded anyway",
                        bodyEnd, HexFormat.of().formatHex(want), HexFormat.of().formatHex(got)));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    // ---- ELF format

    private void readElf(Builder out, int base, int end) {
        if (end - base < 52 || (int) u32(base) != ELF_MAGIC) {
            throw new CoreDumpException(file, base, "the ELF core dump has no ELF header here");
        }
        if (b[base + 4] != 1 || b[base + 5] != 1) {
            throw new CoreDumpException(file, base + 4, "the core ELF is not 32-bit little-endian");
        }
        int machine = u16(base + 18);
        Arch arch = Arch.ofMachine(machine);
        if (arch == null) {
            throw new CoreDumpException(file, base + 18, "the core ELF is for machine " + machine + ", neither Xtensa nor RISC-V");
        }
        out.arch = arch;
        long phoff = u32(base + 28);
        int phentsize = u16(base + 42);
        int phnum = u16(base + 44);
        if (phentsize < 32) {
            throw new CoreDumpException(file, base + 42, "program header size " + phentsize + " is too small");
        }
        for (int i = 0; i < phnum; i++) {
            long ph = base + phoff + (long) i * phentsize;
            if (ph + 32 > end) {
                warnings.add(String.format("byte offset %d: program header %d of %d lies beyond the dump's %d bytes: the rest are lost",
                        ph, i, phnum, end));
                break;
            }
            int p = (int) ph;
            long type = u32(p);
            long offset = u32(p + 4);
            long vaddr = u32(p + 8);
            long size = u32(p + 16);
            int flags = (int) u32(p + 24);
            long from = base + offset;
            if (from > end || size > end - from) {
                warnings.add(String.format("byte offset %d: segment %d (%d bytes at file offset %d) extends beyond the dump's %d bytes: skipped",
                        p, i, size, offset, end - base));
                continue;
            }
            if (type == 4) {
                readNotes(out, (int) from, (int) (from + size));
            } else if (type == 1 && vaddr != 0) {
                byte[] data = new byte[(int) size];
                System.arraycopy(b, (int) from, data, 0, (int) size);
                out.segments.add(new Segment(vaddr, data, flags));
            }
        }
    }

    private void readNotes(Builder out, int at, int end) {
        while (at + 12 <= end) {
            long namesz = u32(at);
            long descsz = u32(at + 4);
            long type = u32(at + 8);
            long nameAt = at + 12L;
            long descAt = nameAt + align4(namesz);
            if (namesz > end || descsz > end || descAt + descsz > end) {
                warnings.add(String.format("byte offset %d: note of %d+%d bytes does not fit its segment: the segment's other notes are lost",
                        at, namesz, descsz));
                return;
            }
            int nameLen = 0;
            while (nameLen < namesz && b[(int) nameAt + nameLen] != 0) {
                nameLen++;
            }
            String name = new String(b, (int) nameAt, nameLen, StandardCharsets.US_ASCII);
            note(out, name, type, (int) descAt, (int) descsz);
            at = (int) (descAt + align4(descsz));
        }
    }

    private void note(Builder out, String name, long type, int at, int size) {
        if (type == NT_PRSTATUS && name.equals("CORE")) {
            int regs = out.arch == Arch.XTENSA ? XTENSA_AR + 16 : Arch.RISCV.registerNames().size();
            if (size < PRSTATUS_REGS + 4 * regs) {
                warnings.add(String.format("byte offset %d: task registers note of %d bytes is too short: task skipped", at, size));
                return;
            }
            long tcb = u32(at + PRSTATUS_PID);
            long[] r = new long[out.arch.registerNames().size()];
            if (out.arch == Arch.XTENSA) {
                for (int i = 0; i < 6; i++) {
                    r[i] = u32(at + PRSTATUS_REGS + 4 * i);
                }
                for (int i = 0; i < 16; i++) {
                    r[6 + i] = u32(at + PRSTATUS_REGS + 4 * (XTENSA_AR + i));
                }
            } else {
                for (int i = 0; i < r.length; i++) {
                    r[i] = u32(at + PRSTATUS_REGS + 4 * i);
                }
            }
            out.tasks.add(new TaskDump(out.tasks.size(), tcb, r, false));
        } else if (type == NT_TASK_INFO && size >= 20) {
            if (u32(at + 4) != 0) {
                out.corrupted.add(u32(at + 8));
            }
        } else if (type == NT_EXTRA_INFO && size >= 4) {
            extraInfo(out, at, size / 4);
        } else if (type == NT_PANIC_DETAILS) {
            int len = 0;
            while (len < size && b[at + len] != 0) {
                len++;
            }
            out.panicReason = new String(b, at, len, StandardCharsets.UTF_8);
        } else if (type == NT_ESP_INFO && size >= 4) {
            int len = 0;
            while (len < size - 4 && b[at + 4 + len] != 0) {
                len++;
            }
            out.appSha = new String(b, at + 4, len, StandardCharsets.US_ASCII);
        }
    }

    /** The crashed task's handle, Xtensa's exception registers as (id, value) pairs, and the ISR flag when present. */
    private void extraInfo(Builder out, int at, int words) {
        out.crashedTcb = u32(at);
        int pairs = (words - 1) / 2;
        if ((words - 1) % 2 == 1) {
            out.isr = u32(at + 4L * (words - 1)) != 0;
        }
        if (out.arch != Arch.XTENSA || pairs < 2) {
            return;
        }
        List<NamedValue> epc = new ArrayList<>();
        List<NamedValue> eps = new ArrayList<>();
        for (int i = 2; i < pairs; i++) {
            long id = u32(at + 4 + 8L * i);
            long value = u32(at + 8 + 8L * i);
            if (id >= 177 && id <= 183) {
                epc.add(new NamedValue("epc" + (id - 176), value));
            } else if (id >= 194 && id <= 199) {
                eps.add(new NamedValue("eps" + (id - 192), value));
            }
        }
        out.exception.add(new NamedValue("exccause", u32(at + 8)));
        out.exception.add(new NamedValue("excvaddr", u32(at + 16)));
        out.exception.addAll(epc);
        out.exception.addAll(eps);
    }

    // ---- legacy binary format

    private void readBinary(Builder out, Format format, int end) {
        out.arch = Arch.ofChip(out.chip);
        long taskCount = u32(8);
        long tcbSize = u32(12);
        long segmentCount = format == Format.BIN_V1 ? 0 : u32(16);
        if (taskCount > MAX_COUNT || tcbSize > 0x10000 || segmentCount > MAX_COUNT) {
            throw new CoreDumpException(file, 8, String.format("implausible header: %d tasks, TCB of %d bytes, %d segments",
                    taskCount, tcbSize, segmentCount));
        }
        int at = format.headerSize;
        for (int i = 0; i < taskCount; i++) {
            if (at + 12 + tcbSize > end) {
                warnings.add(String.format("byte offset %d: task %d of %d lies beyond the dump's end: the rest are lost", at, i, taskCount));
                return;
            }
            long tcb = u32(at);
            long top = u32(at + 4);
            long stackEnd = u32(at + 8);
            long stackLength = Math.abs(stackEnd - top);
            long tcbAt = at + 12L;
            long stackAt = tcbAt + tcbSize;
            if (stackLength > end - stackAt) {
                warnings.add(String.format("byte offset %d: task %d's stack of %d bytes lies beyond the dump's end: the rest are lost",
                        at, i, stackLength));
                return;
            }
            out.segments.add(new Segment(tcb, slice(tcbAt, tcbSize), Segment.PF_R | Segment.PF_W));
            byte[] stack = slice(stackAt, stackLength);
            out.segments.add(new Segment(Math.min(top, stackEnd), stack, Segment.PF_R | Segment.PF_W));
            StackFrames.Decoded frame = StackFrames.decode(out.arch, words(stack));
            out.tasks.add(new TaskDump(i, tcb, frame.registers(), false));
            if (i == 0) { // the firmware writes the crashed task first
                out.crashedTcb = tcb;
                out.exception.addAll(frame.exception());
            }
            at = (int) align4(stackAt + stackLength);
        }
        for (int i = 0; i < segmentCount; i++) {
            if (at + 8 > end || u32(at + 4) > end - at - 8) {
                warnings.add(String.format("byte offset %d: memory segment %d of %d lies beyond the dump's end: the rest are lost",
                        at, i, segmentCount));
                return;
            }
            long size = u32(at + 4);
            out.segments.add(new Segment(u32(at), slice(at + 8L, size), Segment.PF_R | Segment.PF_W));
            at = (int) (at + 8 + size);
        }
    }

    private byte[] slice(long at, long length) {
        byte[] out = new byte[(int) length];
        System.arraycopy(b, (int) at, out, 0, (int) length);
        return out;
    }

    private static long[] words(byte[] data) {
        long[] w = new long[data.length / 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = Memory.le32(data, 4 * i);
        }
        return w;
    }

    private long u32(long at) {
        return Memory.le32(b, (int) at);
    }

    private int u16(int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }

    /** What has been decoded so far. */
    private static final class Builder {
        final int chip;
        final int version;
        final boolean elf;
        Arch arch;
        final List<TaskDump> tasks = new ArrayList<>();
        final List<Segment> segments = new ArrayList<>();
        final List<Long> corrupted = new ArrayList<>();
        final List<NamedValue> exception = new ArrayList<>();
        long crashedTcb;
        Boolean isr;
        String panicReason;
        String appSha;

        Builder(int chip, int version, boolean elf) {
            this.chip = chip;
            this.version = version;
            this.elf = elf;
        }

        CoreDump build(List<String> warnings) {
            List<TaskDump> marked = new ArrayList<>();
            for (TaskDump t : tasks) {
                marked.add(corrupted.contains(t.tcb()) ? new TaskDump(t.index(), t.tcb(), t.registers(), true) : t);
            }
            return new CoreDump(arch, chip, version, elf, List.copyOf(marked), List.copyOf(segments), crashedTcb, isr,
                    panicReason, List.copyOf(exception), appSha, List.copyOf(warnings));
        }
    }
}
