package heapscope.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import heapscope.report.Escape;
import heapscope.symbols.Frame;
import heapscope.symbols.FrameTable;
import heapscope.symbols.SymbolHit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Where {@code heapscope symbolize} results go: addr2line-style text or a JSON array. */
sealed interface SymbolizeOutput {
    /**
     * @param symbol the symbol naming code no debug information covers, empty otherwise
     * @param r      the frame table's resolution: frames, the instruction looked up, where no-DWARF code came from
     */
    void write(long address, FrameTable.Resolved r, Optional<SymbolHit> symbol) throws IOException;

    void flush() throws IOException;

    void finish() throws IOException;

    /**
     * addr2line -f -i -C -p style. Names and files come from the ELF, so they are escaped for the terminal: each
     * frame is one line, whatever bytes the ELF holds.
     */
    final class Text implements SymbolizeOutput {
        private final OutputStream out;
        private final boolean addresses;
        private final boolean offsets;
        private final String addressFormat;
        private final StringBuilder text = new StringBuilder(1 << 16);

        /**
         * @param wide    a 64-bit ELF: addresses printed with 16 digits, as addr2line -a does
         * @param offsets code named by the symbol table alone gets its offset into the symbol ({@code name+0x46})
         */
        Text(OutputStream out, boolean addresses, boolean offsets, boolean wide) {
            this.out = out;
            this.addresses = addresses;
            this.offsets = offsets;
            this.addressFormat = wide ? "0x%016x: " : "0x%08x: ";
        }

        @Override
        public void write(long address, FrameTable.Resolved r, Optional<SymbolHit> symbol) throws IOException {
            List<Frame> frames = r.frames();
            if (addresses) {
                text.append(String.format(addressFormat, address));
            }
            if (!r.inElf()) {
                text.append("?? (outside the ELF)\n");
            } else if (frames.isEmpty()) {
                text.append("?? ??:0\n");
            } else if (symbol.isPresent()) { // as llvm-symbolizer: the function, and the object file where the ELF says
                text.append(Escape.terminal(frames.get(0).function()));
                if (offsets) {
                    text.append("+0x").append(Long.toHexString(symbol.get().offset()));
                }
                text.append(" at ").append(r.object() == null ? "??:?" : Escape.terminal(r.object())).append('\n');
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
        public void write(long address, FrameTable.Resolved r, Optional<SymbolHit> symbol) throws IOException {
            List<Frame> frames = r.frames();
            g.writeStartObject();
            g.writeStringField("address", String.format("0x%08x", address));
            g.writeStringField("lookedUp", String.format("0x%08x", r.looked()));
            g.writeBooleanField("inElf", r.inElf());
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
                g.writeStringField("object", r.object());
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
