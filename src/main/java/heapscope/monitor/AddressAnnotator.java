package heapscope.monitor;

import heapscope.report.FrameRenderer;
import heapscope.symbols.ElfDigest;
import heapscope.symbols.FrameTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines idf.py monitor adds after a line that mentions code addresses, done in process from the ELF:
 * {@code --- 0x400d3caf: app_main at /src/main/app.c:52} then {@code (inlined by)} lines. Addresses outside the
 * ELF's code (stack pointers, heap blocks, ROM) get none.
 */
public final class AddressAnnotator {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{8}");
    private static final Pattern ELF_SHA = Pattern.compile("ELF file SHA256:\\s+([0-9a-fA-F]{8,64})");

    private final FrameTable table;
    private final FrameRenderer frames;
    private final String elfDigest;

    /** @param elfDigest SHA-256 of the ELF, to check the boot banner's against; null to skip the check */
    public AddressAnnotator(FrameTable table, String elfDigest) {
        this.table = table;
        this.frames = FrameRenderer.of(table);
        this.elfDigest = elfDigest;
    }

    /**
     * The decoding lines for one received line, or an empty list. Heap-trace callers are return addresses (the
     * call is just before them); backtraces and register dumps print the instructions themselves.
     */
    public List<String> annotate(String line) {
        List<String> out = new ArrayList<>();
        Matcher sha = elfDigest == null ? null : ELF_SHA.matcher(line);
        if (sha != null && sha.find() && !ElfDigest.matches(sha.group(1), elfDigest)) {
            out.add("--- warning: the device runs another firmware (ELF SHA256 " + sha.group(1).toLowerCase(Locale.ROOT)
                    + "), not this ELF (" + elfDigest.substring(0, 16) + "...): decoded addresses will be wrong");
        }
        boolean returnAddresses = line.contains(" caller ") || line.startsWith("freed by ");
        Matcher m = ADDRESS.matcher(line);
        while (m.find()) {
            decode(Long.parseLong(m.group().substring(2), 16), returnAddresses, out);
        }
        return out;
    }

    /** The decoding lines for a recorded call stack's return addresses (a SystemView heap event's callers). */
    public List<String> callers(long[] returnAddresses) {
        List<String> out = new ArrayList<>();
        for (long address : returnAddresses) {
            decode(address, true, out);
        }
        return out;
    }

    private void decode(long address, boolean returnAddress, List<String> out) {
        if (!table.isCode(address, returnAddress)) { // not data pointers (GP, A2, ...)
            return;
        }
        List<String> lines = returnAddress ? frames.lines(address) : frames.pcLines(address);
        for (int i = 0; i < lines.size(); i++) {
            out.add(i == 0 ? "--- " + lines.get(i) : "--- " + lines.get(i).strip());
        }
    }
}
