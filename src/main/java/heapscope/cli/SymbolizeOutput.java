package heapscope.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.report.Escape;
import heapscope.symbols.Frame;
import heapscope.symbols.SymbolHit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Where {@code heapscope symbolize} results go: addr2line-style text or a JSON array. */
sealed interface SymbolizeOutput {
    /** @param looked the instruction looked up: the address, or the call instruction before a return address */
    void write(long address, long looked, boolean inside, List<Frame> frames, Optional<SymbolHit> symbol) throws IOException;

    void flush() throws IOException;

    void finish() throws IOException;

    /**
     * addr2line -f -i -C -p style. Names and files come from the ELF, so they are escaped for the terminal: each
     * frame is one line, whatever bytes the ELF holds.
     */
    final class Text implements SymbolizeOutput {
        private final OutputStream out;
        private final boolean addresses;
        private final String addressFormat;
        private final StringBuilder text = new StringBuilder(1 << 16);

        /** @param wide a 64-bit ELF: addresses printed with 16 digits, as addr2line -a does */
        Text(OutputStream out, boolean addresses, boolean wide) {
            this.out = out;
            this.addresses = addresses;
            this.addressFormat = wide ? "0x%016x: " : "0x%08x: ";
        }

        @Override
        public void write(long address, long looked, boolean inside, List<Frame> frames, Optional<SymbolHit> symbol)
                throws IOException {
            if (addresses) {
                text.append(String.format(addressFormat, address));
            }
            if (!inside) {
                text.append("?? (outside the ELF)\n");
            } else if (frames.isEmpty()) {
                text.append("?? ??:0\n");
            } else if (symbol.isPresent()) {
                text.append(Escape.terminal(frames.get(0).function())).append("+0x").append(Long.toHexString(symbol.get().offset()))
                        .append(" at ??:?\n");
            } else {
                for (int i = 0; i < frames.size(); i++) {
                    Frame f = frames.get(i);
                    if (i > 0) {
                        text.append(" (inlined by) ");
                    }
                    text.append(f.function() == null ? "??" : Escape.terminal(f.function())).append(" at ")
                            .append(f.file() == null ? "??" : Escape.terminal(f.file())).append(':');
                    if (f.line() == 0) {
                        text.append('?');
                    } else {
                        text.append(f.line());
                    }
                    text.append('\n');
                }
            }
            if (text.length() >= 1 << 15) {
                drain();
            }
        }

        private void drain() throws IOException {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            text.setLength(0);
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void finish() throws IOException {
            flush();
        }
    }

    /** A JSON array with one object per address. */
    final class Json implements SymbolizeOutput {
        private final JsonGenerator g;
        private boolean finished;

        Json(OutputStream out) {
            try {
                g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .createGenerator(out, JsonEncoding.UTF8);
                g.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void write(long address, long looked, boolean inside, List<Frame> frames, Optional<SymbolHit> symbol) throws IOException {
            g.writeStartObject();
            g.writeStringField("address", String.format("0x%08x", address));
            g.writeStringField("lookedUp", String.format("0x%08x", looked));
            g.writeBooleanField("inElf", inside);
            g.writeArrayFieldStart("frames");
            if (symbol.isEmpty()) {
                for (Frame f : frames) {
                    g.writeStartObject();
                    g.writeStringField("function", f.function());
                    g.writeStringField("file", f.file());
                    g.writeNumberField("line", f.line());
                    g.writeNumberField("column", f.column());
                    g.writeBooleanField("inlined", f.inlined());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            if (symbol.isPresent()) {
                g.writeObjectFieldStart("symbol");
                g.writeStringField("name", frames.get(0).function());
                g.writeNumberField("offset", symbol.get().offset());
                g.writeEndObject();
            }
            g.writeEndObject();
        }

        @Override
        public void flush() throws IOException {
            g.flush();
        }

        @Override
        public void finish() throws IOException {
            if (!finished) {
                finished = true;
                g.writeEndArray();
                g.writeRaw('\n');
                g.flush();
            }
        }
    }
}
