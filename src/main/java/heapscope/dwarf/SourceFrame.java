package heapscope.dwarf;

/**
 * One frame of a DWARF lookup, innermost first.
 *
 * @param function raw function name as in DWARF: the linkage (mangled) name when there is one, else
 *                 DW_AT_name; null when no function covers the address
 * @param file     full path of the source file, or null
 * @param line     line number, 0 when unknown
 * @param column   column, 0 when unknown
 * @param inlined  true if this function was inlined into the next frame
 * @param shortName true if {@code function} is a plain DW_AT_name from a C++-like unit (e.g. a lambda's
 *                 "operator()"): the ELF symbol at the address names the function better
 */
public record SourceFrame(String function, String file, int line, int column, boolean inlined, boolean shortName) {
}
