package heapscope.symbols;

/**
 * The ELF symbol containing an address and the address's offset from the symbol's start.
 *
 * @param object the source or object file the symbol table names for it (the {@code STT_FILE} entry a local symbol
 *               follows, as the assembler wrote it: {@code vectors.S}, {@code coexist_core.o}), or null when the
 *               table does not say (global symbols, stripped file entries)
 */
public record SymbolHit(String name, long offset, String object) {
}
