package heapscope.log;

/**
 * Recognises one family of heap messages in a serial log. The decoder offers every line to the parsers in turn
 * until one takes it; a parser in the middle of a multi-line message is offered each line first. Lines that
 * idf.py monitor or another decoder inserted (decoded addresses) are never offered: they carry no device data.
 */
interface LineParser {
    /** Returns true when the line belongs to this parser's message (it is then not offered to others). */
    boolean accept(LogLine line, LogSink sink);

    /** True while the parser is inside a multi-line message and wants the next line first. */
    default boolean open() {
        return false;
    }

    /** The log ended: finish or abandon a message in progress. */
    default void end(LogSink sink) {
    }
}
