package heapscope.demangle;

/**
 * Demangles Itanium C++ ABI symbol names (what gcc emits for xtensa and riscv ESP-IDF builds) into
 * exactly the text GNU {@code c++filt} prints; Rust symbols too, since c++filt does and ESP-IDF
 * applications may link Rust code. Anything that is not a mangled name, or that cannot be
 * demangled, comes back unchanged, so callers can pass every ELF symbol through it.
 */
public final class Demangler {
  /** Longer inputs are not real symbols; refusing them keeps the worst case cheap. */
  private static final int MAX_INPUT = 1 << 14;

  private Demangler() {}

  /** Parses; an ambiguous unresolved name that made parsing fail gets c++filt's second try. */
  private static Node parse(String mangled) {
    Parser parser = new Parser(mangled);
    try {
      return parser.parseSymbol();
    } catch (Failure e) {
      if (!parser.usedNewUnresolvedSyntax()) {
        throw e;
      }
    }
    return new Parser(mangled, false).parseSymbol();
  }

  /** Returns the demangled name, or {@code mangled} itself when it cannot be demangled. */
  public static String demangle(String mangled) {
    if (mangled == null || mangled.length() < 2 || mangled.length() > MAX_INPUT) {
      return mangled;
    }
    if (mangled.startsWith("_R")) {
      String rust = RustV0Demangler.demangle(mangled);
      return rust != null ? rust : mangled;
    }
    if (!(mangled.startsWith("_Z") || mangled.startsWith("_GLOBAL_"))) {
      return mangled;
    }
    // c++filt reads legacy Rust symbols as Rust before trying C++.
    String rust = RustLegacyDemangler.demangle(mangled);
    if (rust != null) {
      return rust;
    }
    try {
      return Printer.render(parse(mangled));
    } catch (Failure | StackOverflowError e) {
      // StackOverflowError only as a last resort: depth caps should make it unreachable.
      return mangled;
    }
  }
}
