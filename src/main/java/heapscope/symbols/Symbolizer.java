package heapscope.symbols;

import heapscope.dwarf.CallGraph;
import heapscope.dwarf.CodeRanges;
import heapscope.dwarf.DwarfIndex;
import heapscope.dwarf.DwarfSections;
import heapscope.dwarf.SourceFrame;
import heapscope.dwarf.StructLayout;
import heapscope.elf.ElfFile;
import heapscope.elf.ElfFormatException;
import heapscope.elf.ElfProgramHeader;
import heapscope.elf.ElfSection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Resolves target addresses to source frames from one firmware ELF: DWARF (with inlined frames) first,
 * the ELF symbol table otherwise.
 *
 * <p>Addresses taken from a call stack are return addresses: they point at the instruction after the
 * call, which may belong to the next line or even the next function. Look those up with
 * {@link #lookupReturnAddress(long)}, which resolves the call instruction ({@link FrameTable#callInstruction}).
 *
 * <p>Addresses are unsigned target values held in a long. Not thread-safe (only {@link #prefetch()}
 * works in the background, internally synchronized).
 */
public final class Symbolizer {
    private final ElfFile elf;
    private final DwarfIndex dwarf;
    private final CodeRanges allocated; // every allocated section, for "is this address in the ELF"
    private final CodeRanges executable; // sections of instructions, for "is this a code address"
    private SymbolTable symbols; // built on first need: most lookups never consult it
    private final UnaryOperator<String> demangler;
    private Callers callers;
    private volatile String sha256; // read on first need

    private Symbolizer(ElfFile elf, UnaryOperator<String> demangler) {
        this.elf = elf;
        this.demangler = demangler;
        List<long[]> code = new ArrayList<>();
        List<long[]> all = new ArrayList<>();
        List<long[]> instructions = new ArrayList<>();
        for (ElfSection s : elf.sections()) { // code lives in allocated sections with contents (not .bss)
            if (s.isAllocated() && s.size() > 0) {
                all.add(new long[] {s.address(), s.address() + s.size()});
                if (s.isExecutable()) {
                    instructions.add(new long[] {s.address(), s.address() + s.size()});
                }
                if (s.type() != ElfSection.SHT_NOBITS) {
                    code.add(new long[] {s.address(), s.address() + s.size()});
                }
            }
        }
        if (all.isEmpty()) { // no section headers: the loadable segments say what is in the image
            for (ElfProgramHeader p : elf.programHeaders()) {
                if (p.type() == ElfProgramHeader.PT_LOAD && p.memorySize() > 0) {
                    all.add(new long[] {p.virtualAddress(), p.virtualAddress() + p.memorySize()});
                }
            }
        }
        this.allocated = CodeRanges.of(all.toArray(long[][]::new));
        this.executable = instructions.isEmpty() ? allocated : CodeRanges.of(instructions.toArray(long[][]::new));
        this.dwarf = DwarfIndex.build(DwarfSections.of(elf), CodeRanges.of(code.toArray(long[][]::new)));
    }

    /**
     * Where the ELF's debug information is damaged, as found so far by lookups (and opening): one line each, naming
     * the section and the offset in it. The addresses there were named from the symbol table, or not at all.
     */
    public List<String> damage() {
        List<String> out = new ArrayList<>();
        for (ElfFormatException e : dwarf.damage()) {
            ElfSection in = null;
            for (ElfSection s : elf.sections()) {
                if (s.type() != ElfSection.SHT_NOBITS && e.offset() >= s.offset() && e.offset() < s.offset() + s.size()) {
                    in = s;
                }
            }
            String where = in == null ? "at byte " + e.offset() + " of the file"
                    : "in " + in.name() + " at offset 0x" + Long.toHexString(e.offset() - in.offset()) + " (byte " + e.offset()
                            + " of the file)";
            out.add("damaged debug information " + where + ": " + e.detail()
                    + "; the addresses it describes are named from the symbol table, or not at all");
        }
        return out;
    }

    /** Opens {@code elf} with names left as DWARF and the symbol table have them (mangled for C++). */
    public static Symbolizer open(Path elf) throws IOException {
        return open(elf, UnaryOperator.identity());
    }

    /** Opens {@code elf}; {@code demangler} turns linkage names into display names. */
    public static Symbolizer open(Path elf, UnaryOperator<String> demangler) throws IOException {
        return new Symbolizer(ElfFile.open(elf), demangler);
    }

    /** A symbolizer over an ELF already parsed. */
    public static Symbolizer of(ElfFile elf, UnaryOperator<String> demangler) {
        return new Symbolizer(elf, demangler);
    }

    /** Whether the ELF can name anything: debug information or a symbol table (a stripped ELF has neither). */
    public boolean hasNames() {
        return dwarf.unitCount() > 0 || !symbols().isEmpty();
    }

    public ElfFile elf() {
        return elf;
    }

    /** True if {@code address} lies in a section of the ELF; false for e.g. ROM or unmapped memory. */
    public boolean containsAddress(long address) {
        return allocated.contains(address);
    }

    /**
     * True if {@code address} lies in a section of instructions: a value that merely points into the image's data
     * (a register holding a heap or global pointer) is not a code address.
     */
    public boolean containsCode(long address) {
        return executable.contains(address);
    }

    /**
     * Frames for the instruction at {@code address}, innermost first. Falls back to one frame naming
     * the ELF symbol (no file) when no debug information covers the address; empty when the address
     * is outside the ELF or no symbol contains it.
     */
    public List<Frame> lookup(long address) {
        if (!allocated.contains(address)) {
            return List.of();
        }
        List<SourceFrame> source = dwarf.lookup(address);
        if (!source.isEmpty()) {
            Frame[] out = new Frame[source.size()];
            for (int i = 0; i < out.length; i++) {
                SourceFrame f = source.get(i);
                String name = f.function();
                if (f.shortName()) { // as addr2line and llvm-symbolizer do, name the real function by its symbol
                    name = symbols().find(address).map(SymbolHit::name).orElse(name);
                }
                out[i] = new Frame(name == null ? null : demangler.apply(name), f.file(), f.line(), f.column(),
                        f.inlined());
            }
            if (out[0].function() == null && out.length == 1) { // lines but no DIE: name it from the symbol
                Optional<SymbolHit> hit = symbols().find(address);
                if (hit.isPresent()) {
                    Frame f = out[0];
                    out[0] = new Frame(demangler.apply(hit.get().name()), f.file(), f.line(), f.column(), false);
                }
            }
            return List.of(out);
        }
        return symbols().find(address).map(h -> List.of(new Frame(demangler.apply(h.name()), null, 0, 0, false)))
                .orElse(List.of());
    }

    private SymbolTable symbols() {
        if (symbols == null) {
            symbols = new SymbolTable(elf);
        }
        return symbols;
    }

    /**
     * Hint that many lookups spread over the image follow: decodes debug information ahead on a
     * background thread. Optional; lookups are correct with or without it.
     */
    public void prefetch() {
        dwarf.prefetch();
    }

    /** The program's call graph from its DWARF call-site entries, built on the first call. */
    public CallGraph callGraph() {
        return dwarf.callGraph();
    }

    /** Who can have called the function holding a return address, from the call graph; built on the first call. */
    public Callers callers() {
        if (callers == null) {
            callers = new Callers(elf, dwarf.callGraph());
        }
        return callers;
    }

    /** {@link #lookup} of the call instruction before a return address, not the one after it. */
    public List<Frame> lookupReturnAddress(long returnAddress) {
        return lookup(FrameTable.callInstruction(returnAddress));
    }

    /** The ELF symbol containing {@code address} and the offset into it. */
    public Optional<SymbolHit> symbol(long address) {
        return symbols().find(address);
    }

    /**
     * The ELF file's SHA-256 ({@link ElfDigest}), read once: the monitor checks it against the capture for every
     * report, and a core dump reading for every dump.
     */
    public String sha256() throws IOException {
        String s = sha256;
        if (s == null) {
            s = ElfDigest.sha256(elf.path());
            sha256 = s;
        }
        return s;
    }

    /** The structure {@code name} as the DWARF types describe it; empty when they do not. */
    public Optional<StructLayout> struct(String name) {
        return dwarf.struct(name);
    }
}
