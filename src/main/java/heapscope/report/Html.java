package heapscope.report;

import heapscope.trace.Condition;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The HTML side of escaping and the page shell the HTML reports share. Every string from the device or the ELF
 * goes through {@link #text}; data for the scripts goes through {@link #scriptJson}, so neither can open a tag,
 * close the script or start a comment.
 */
public final class Html {
    private Html() {
    }

    /** For element text and quoted attribute values alike. */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /**
     * JSON for a {@code <script type="application/json">} element. {@code <}, {@code >} and {@code &} only occur
     * inside JSON strings, where {@code \\u003c} means the same to JSON.parse but cannot end the script or open a
     * comment; U+2028/2029 are escaped too, as older JavaScript parsers took them for line ends.
     */
    public static String scriptJson(String json) {
        StringWriter out = new StringWriter(json.length() + 64);
        try (Writer w = scriptJson(out)) {
            w.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A condition's headline, as a warning box above the figures; an ELF mismatch in its own style. */
    static void condition(StringBuilder b, Condition c, String headline) {
        b.append(c.effect() == Condition.Effect.MISMATCHED ? "<p class=\"warning elf-mismatch\">" : "<p class=\"warning\">")
                .append(text(headline)).append("</p>\n");
    }

    /** The same escaping on the way to OUT, so a large document is never held whole; closing it leaves OUT open. */
    static Writer scriptJson(Writer out) {
        return new Writer() {
            @Override
            public void write(char[] chars, int off, int len) throws IOException {
                int from = off;
                for (int i = off; i < off + len; i++) {
                    String escaped = switch (chars[i]) {
                        case '<' -> "\\u003c";
                        case '>' -> "\\u003e";
                        case '&' -> "\\u0026";
                        case '\u2028' -> "\\u2028";
                        case '\u2029' -> "\\u2029";
                        default -> null;
                    };
                    if (escaped != null) {
                        out.write(chars, from, i - from);
                        out.write(escaped);
                        from = i + 1;
                    }
                }
                out.write(chars, from, off + len - from);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() {
            }
        };
    }

    /** What writes a page's data document (JSON, unescaped: the page escapes it). */
    @FunctionalInterface
    interface Data {
        void write(Writer out) throws IOException;
    }

    /** A text resource of this package (the report's CSS and JavaScript, inlined so the file needs nothing else). */
    static String resource(String name) {
        try (InputStream in = Html.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole page: a Content-Security-Policy that forbids every network request and runs only our own script
     * (by its hash, so even markup that slipped through escaping could not run code), then the static body, the
     * data and the script.
     */
    static String page(String title, String body, String json) {
        StringWriter out = new StringWriter();
        try {
            page(out, title, body, w -> w.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The same page written to OUT, the data streamed through {@link #scriptJson(Writer)}. */
    static void page(Writer out, String title, String body, Data data) throws IOException {
        String script = resource("report.js");
        String css = resource("report.css");
        String csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '" + sha256(script) + "'";
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + text(csp) + "\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + text(title) + "</title>\n<style>\n" + css + "</style>\n</head>\n<body>\n");
        out.write(body);
        out.write("<script type=\"application/json\" id=\"heapscope-data\">");
        try (Writer escaped = scriptJson(out)) {
            data.write(escaped);
        }
        out.write("</script>\n<script>" + script + "</script>\n</body>\n</html>\n");
    }

    private static String sha256(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
