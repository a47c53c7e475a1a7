package heapscope.dwarf;

/** One abbreviation declaration: the shape shared by DIEs that use its code. */
record Abbreviation(int code, int tag, boolean hasChildren, int[] attributes, int[] forms, long[] implicitConsts) {
}
