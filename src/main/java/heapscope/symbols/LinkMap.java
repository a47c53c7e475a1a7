package heapscope.symbols;

import heapscope.source.InputException;
import heapscope.util.Sorted;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GNU ld link map of the firmware ({@code build/<app>.map}): which archive each input section came from,
 * so an address names its library ({@code esp-idf/lwip/liblwip.a} -> component {@code lwip}) even where the
 * debug information has no telling source path.
 */
public final class LinkMap {
    /** " .text.name  0xADDR  0xSIZE  object" (the section name may stand alone on the line before). */
    private static final Pattern PLACED = Pattern.compile("^\\s*(\\.\\S+)?\\s+0x([0-9a-fA-F]{1,16})\\s+0x([0-9a-fA-F]{1,16})\\s+(\\S.*?)\\s*$");
    private static final Pattern ARCHIVE = Pattern.compile("(?:^|.*/)lib([^/()]+)\\.a\\(([^)]*)\\)$");

    private final long[] starts;
    private final long[] ends;
    private final String[] objects;

    private LinkMap(long[] starts, long[] ends, String[] objects) {
        this.starts = starts;
        this.ends = ends;
        this.objects = objects;
    }

    public static LinkMap read(Path file) throws IOException {
        record Placed(long start, long end, String object) {
        }
        List<Placed> placed = new ArrayList<>();
        boolean memoryMap = false;
        String pending = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("Linker script and memory map")) {
                    memoryMap = true;
                    continue;
                }
                if (!memoryMap) {
                    continue;
                }
                String t = line.strip();
                if (t.startsWith(".") && !t.contains(" ")) {
                    pending = t; // the long section name stands alone; its placement follows
                    continue;
                }
                Matcher m = PLACED.matcher(line);
                if (m.matches() && (m.group(1) != null || pending != null)) {
                    String section = m.group(1) != null ? m.group(1) : pending;
                    long start = Long.parseUnsignedLong(m.group(2), 16);
                    long size = Long.parseUnsignedLong(m.group(3), 16);
                    if (size > 0 && start != 0 && !section.startsWith(".debug") && !section.startsWith(".comment")) {
                        placed.add(new Placed(start, start + size, m.group(4)));
                    }
                }
                pending = null;
            }
        }
        if (!memoryMap) {
            throw new InputException(file + ": not a GNU ld link map (no 'Linker script and memory map' line)");
        }
        placed.sort((a, b) -> Long.compare(a.start(), b.start()));
        long[] starts = new long[placed.size()];
        long[] ends = new long[placed.size()];
        String[] objects = new String[placed.size()];
        for (int i = 0; i < placed.size(); i++) {
            starts[i] = placed.get(i).start();
            ends[i] = placed.get(i).end();
            objects[i] = placed.get(i).object();
        }
        return new LinkMap(starts, ends, objects);
    }

    /** The object file the address's section came from, as the map writes it: {@code path/libX.a(file.o)}. */
    public Optional<String> object(long address) {
        int i = Sorted.lastAtOrBefore(starts, address); // of sections that start alike, the last listed
        return i >= 0 && address < ends[i] ? Optional.of(objects[i]) : Optional.empty();
    }

    /**
     * An object as a frame names it: {@code coexist_core.o (libcoexist.a)} for {@code .../libcoexist.a(coexist_core.o)},
     * the file name alone for an object outside archives.
     */
    public static String shortName(String object) {
        int open = object.lastIndexOf('(');
        if (open > 0 && object.endsWith(")")) {
            String archive = object.substring(0, open);
            return object.substring(open + 1, object.length() - 1) + " (" + fileName(archive) + ")";
        }
        return fileName(object);
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1); // maps from Windows builds too
    }

    /** The library of the address: {@code lwip} for {@code .../liblwip.a(tcp.c.obj)}; empty for objects outside archives. */
    public Optional<String> component(long address) {
        return object(address).map(ARCHIVE::matcher).filter(Matcher::matches).map(m -> m.group(1));
    }
}
