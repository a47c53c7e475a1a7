package heapscope.symbols;

/** The ELF symbol containing an address and the address's offset from the symbol's start. */
public record SymbolHit(String name, long offset) {
}
