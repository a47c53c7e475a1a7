package heapscope.symbols;

/**
 * One frame of a symbolized address, innermost first.
 *
 * @param function display name (demangled when a demangler is configured), or null when unknown
 * @param file     source file path, or null when unknown (e.g. symbol-table fallback)
 * @param line     source line, 0 when unknown
 * @param column   source column, 0 when unknown
 * @param inlined  true if this function was inlined into the next (outer) frame
 */
public record Frame(String function, String file, int line, int column, boolean inlined) {
}
