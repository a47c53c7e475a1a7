package heapscope.symbols;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Reads the committed outputs of addr2line -a -f -i and llvm-symbolizer --inlining --print-address. */
final class Oracle {
    /** One expected frame; line 0 and file "??" mean unknown, as the tools print them. */
    record Expected(String function, String file, int line) {
        @Override
        public String toString() {
            return function + " at " + file + ":" + line;
        }
    }

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]+");
    // file:line, file:line:column (llvm), optional " (discriminator N)" (GNU)
    private static final Pattern LOCATION = Pattern.compile("(.*?):(\\?|\\d+)(?::\\d+)?(?: \\(discriminator \\d+\\))?");

    private Oracle() {
    }

    static Map<Long, List<Expected>> read(Path gz) throws IOException {
        Map<Long, List<Expected>> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            String l;
            while ((l = r.readLine()) != null) {
                if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
            List<Expected> current = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (ADDRESS.matcher(line).matches()) {
                    current = new ArrayList<>();
                    out.put(Long.parseLong(line.substring(2), 16), current);
                    continue;
                }
                if (current == null || i + 1 >= lines.size()) {
                    throw new IOException(gz + ": unexpected line " + (i + 1) + ": " + line);
                }
                Matcher m = LOCATION.matcher(lines.get(++i));
                if (!m.matches()) {
                    throw new IOException(gz + ": bad location line: " + lines.get(i));
                }
                int lineNo = m.group(2).equals("?") ? 0 : Integer.parseInt(m.group(2));
                current.add(new Expected(line, m.group(1), lineNo));
            }
        }
        return out;
    }

    /** Our frames in the oracle's vocabulary. */
    static List<Expected> of(List<Frame> frames) {
        List<Expected> out = new ArrayList<>();
        for (Frame f : frames) {
            out.add(new Expected(f.function() == null ? "??" : f.function(), f.file() == null ? "??" : f.file(), f.line()));
        }
        if (out.isEmpty()) {
            out.add(new Expected("??", "??", 0));
        }
        return out;
    }
}
